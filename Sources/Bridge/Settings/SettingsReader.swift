import Foundation
import Logging

/// Reads typed values out of the levels of settings, falling back to the table's defaults,
/// with one-line errors naming the setting.
struct SettingsReader: Sendable {
    let layers: SettingsLayers

    /// The raw value of a setting, or its default; nil when neither is there.
    func raw(_ definition: SettingDefinition) throws(SettingsError) -> RawSetting? {
        if let given = try layers.value(of: definition.name) { return given }
        return definition.defaultValue.map { RawSetting(name: definition.name, value: $0, origin: "the default") }
    }

    /// Text trimmed of white space; nil when unset or empty.
    func optionalText(_ definition: SettingDefinition) throws(SettingsError) -> String? {
        guard let raw = try raw(definition) else { return nil }
        let text = raw.value.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Non-empty text trimmed of white space.
    func requiredText(_ definition: SettingDefinition) throws(SettingsError) -> String {
        guard let text = try optionalText(definition) else {
            throw SettingsError.missingValue("\(definition.name) is required and not set")
        }
        return text
    }

    /// A secret exactly as given (no trimming but of a file's trailing newline); nil when unset or empty.
    func secret(_ definition: SettingDefinition) throws(SettingsError) -> String? {
        guard let raw = try raw(definition), !raw.value.isEmpty else { return nil }
        return raw.value
    }

    /// The file a setting's value was read from, when it was given as `NAME_FILE`.
    func filePath(_ definition: SettingDefinition) throws(SettingsError) -> String? {
        try layers.value(of: definition.name)?.filePath
    }

    /// A whole number within the definition's range.
    func integer(_ definition: SettingDefinition) throws(SettingsError) -> Int {
        let range = definition.range ?? Int.min...Int.max
        let raw = try raw(definition)
        let text = raw?.value.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let value = Int(text), range.contains(value) else {
            throw SettingsError.invalidValue(
                "\(definition.name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(Self.quoted(text))\(Self.from(raw))"
            )
        }
        return value
    }

    /// One of the cases of a string enumeration, case-insensitively.
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ definition: SettingDefinition, as _: Choice.Type
    ) throws(SettingsError) -> Choice where Choice.RawValue == String {
        let raw = try raw(definition)
        let text = raw?.value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() ?? ""
        guard let value = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingsError.invalidValue("\(definition.name) must be one of \(allowed), got \(Self.quoted(text))\(Self.from(raw))")
        }
        return value
    }

    /// A log level; `warn` is accepted for `warning`.
    func logLevel(_ definition: SettingDefinition) throws(SettingsError) -> Logger.Level {
        let raw = try raw(definition)
        let text = raw?.value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() ?? ""
        if text == "warn" { return .warning }
        guard let level = Logger.Level(rawValue: text) else {
            let allowed = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingsError.invalidValue("\(definition.name) must be one of \(allowed), got \(Self.quoted(text))\(Self.from(raw))")
        }
        return level
    }

    /// A comma-separated list of topic names; empty when the value is empty.
    func topicList(_ definition: SettingDefinition) throws(SettingsError) -> [String] {
        let raw = try raw(definition)
        let items = (raw?.value ?? "").split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if items.count == 1, items[0].isEmpty { return [] }
        var seen = Set<String>()
        for item in items {
            try TopicName.validate(item, setting: definition.name)
            guard seen.insert(item).inserted else {
                throw SettingsError.invalidValue("\(definition.name) lists topic \(item) twice")
            }
        }
        return items
    }

    /// One topic name.
    func topic(_ definition: SettingDefinition) throws(SettingsError) -> String {
        let raw = try raw(definition)
        let text = raw?.value.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try TopicName.validate(text, setting: definition.name)
        return text
    }

    /// An `http` or `https` URL with a host and no user name or password in it; nil when unset.
    func url(_ definition: SettingDefinition) throws(SettingsError) -> String? {
        guard let text = try optionalText(definition) else { return nil }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            // A malformed URL may still hold a password (`user:password@host`): never echo one with `@`.
            let shown = text.contains("@") ? "" : ", got \(Self.quoted(text))"
            throw SettingsError.invalidValue("\(definition.name) must be an http:// or https:// URL with a host\(shown)")
        }
        guard components.user == nil, components.password == nil else {
            throw SettingsError.invalidValue("\(definition.name) must not carry a user name or password; use the credential settings")
        }
        guard components.query == nil, components.fragment == nil else {
            throw SettingsError.invalidValue("\(definition.name) must not have a query or fragment")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw SettingsError.invalidValue("\(definition.name) has port \(port), which is not from 1 to 65535")
        }
        return text
    }

    static func quoted(_ text: String) -> String {
        let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return "\"\(shown)\""
    }

    private static func from(_ raw: RawSetting?) -> String {
        guard let raw else { return "" }
        return " (from \(raw.origin))"
    }
}
