import CustomerAPIs
import Foundation
import Logging

/// Turns a log event into one line of JSON or text, with metadata flattened and secrets masked.
struct LogLineFormatter: Sendable {
    let format: LogFormat

    /// What a masked value prints as.
    static let mask = "******"

    /// Metadata keys whose values are always masked, whatever their type (case-insensitive substrings).
    static let secretKeyMarkers = ["secret", "password", "token", "authorization", "credential", "api-key", "apikey"]

    func line(
        timestamp: Date, level: Logger.Level, label: String, message: String,
        metadata: Logger.Metadata, error: (any Error)?
    ) -> String {
        var fields: [(key: String, value: FlatValue)] = []
        Self.flatten(metadata, prefix: "", into: &fields)
        fields.sort { $0.key < $1.key }
        if let error {
            fields.append((key: "error", value: .text(String(describing: error))))
        }
        switch format {
        case .json:
            return jsonLine(timestamp: timestamp, level: level, label: label, message: message, fields: fields)
        case .text:
            return textLine(timestamp: timestamp, level: level, label: label, message: message, fields: fields)
        }
    }

    private func jsonLine(
        timestamp: Date, level: Logger.Level, label: String, message: String,
        fields: [(key: String, value: FlatValue)]
    ) -> String {
        let reserved: Set<String> = ["timestamp", "level", "label", "message"]
        var line = "{\"timestamp\":\(JSONWriter.quoted(LogTimestamp.format(timestamp)))"
        line += ",\"level\":\(JSONWriter.quoted(level.rawValue))"
        line += ",\"label\":\(JSONWriter.quoted(label))"
        line += ",\"message\":\(JSONWriter.quoted(message))"
        for field in fields {
            // Metadata never overwrites the fixed members; a clash is kept under `metadata.<key>`.
            let key = reserved.contains(field.key) ? "metadata." + field.key : field.key
            line += ",\(JSONWriter.quoted(key)):"
            switch field.value {
            case .text(let text): line += JSONWriter.quoted(text)
            case .list(let items): line += "[" + items.map(JSONWriter.quoted).joined(separator: ",") + "]"
            }
        }
        return line + "}"
    }

    private func textLine(
        timestamp: Date, level: Logger.Level, label: String, message: String,
        fields: [(key: String, value: FlatValue)]
    ) -> String {
        var line = "\(LogTimestamp.format(timestamp)) \(level.rawValue) [\(label)] \(Self.oneLine(message))"
        for field in fields {
            let value: String
            switch field.value {
            case .text(let text): value = Self.textValue(text)
            case .list(let items): value = "[" + items.map(Self.textValue).joined(separator: ",") + "]"
            }
            line += " \(field.key)=\(value)"
        }
        return line
    }

    /// A flattened metadata value.
    enum FlatValue: Sendable, Equatable {
        case text(String)
        case list([String])
    }

    /// Nested dictionaries become dotted keys (`request.id`); values under secret-looking keys are masked.
    static func flatten(_ metadata: Logger.Metadata, prefix: String, into fields: inout [(key: String, value: FlatValue)]) {
        for (key, value) in metadata {
            let fullKey = prefix.isEmpty ? key : prefix + "." + key
            if isSecretKey(key) {
                fields.append((key: fullKey, value: .text(mask)))
                continue
            }
            switch value {
            case .dictionary(let nested):
                flatten(nested, prefix: fullKey, into: &fields)
            case .array(let items):
                fields.append((key: fullKey, value: .list(items.map(\.description))))
            case .string(let text):
                fields.append((key: fullKey, value: .text(text)))
            case .stringConvertible(let convertible):
                // `Secret` describes itself as `******`, so it is masked here without being revealed.
                fields.append((key: fullKey, value: .text(convertible.description)))
            }
        }
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeyMarkers.contains { lowered.contains($0) }
    }

    /// Text values with white space or quotes are quoted, so a line splits back into its fields.
    private static func textValue(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? JSONWriter.quoted(text) : text
    }

    private static func oneLine(_ text: String) -> String {
        text.contains(where: \.isNewline) ? text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ") : text
    }
}
