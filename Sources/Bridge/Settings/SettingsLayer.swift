import Foundation

/// One level of settings (flags, environment or config file): names to raw text values.
struct SettingsLayer: Sendable {
    /// Where the values came from, as error messages say it: "a flag", "the environment"…
    let origin: String
    /// Setting names (`NAME`, `NAME_FILE`, `KAFKA_*`) to their raw values.
    let values: [String: String]
    /// The folder relative `NAME_FILE` paths are resolved against; nil for the working directory.
    let baseDirectory: String?

    /// The value of `name` at this level: `NAME` itself, or the content of the file `NAME_FILE` names.
    ///
    /// - Throws: when both `NAME` and `NAME_FILE` are set here, or the file cannot be read.
    func value(of name: String) throws(SettingsError) -> RawSetting? {
        let fileName = name + SettingDefinition.fileSuffix
        switch (values[name], values[fileName]) {
        case (.some, .some):
            throw SettingsError.givenTwice("\(name) and \(fileName) are both set in \(origin); set only one")
        case (let value?, nil):
            return RawSetting(name: name, value: value, origin: origin)
        case (nil, let path?):
            let resolved = try resolvedPath(path, for: fileName)
            let content = try readFile(resolved, for: fileName)
            return RawSetting(name: name, value: content, origin: "\(origin) (\(fileName))", filePath: resolved)
        case (nil, nil):
            return nil
        }
    }

    /// The path `NAME_FILE` gives, relative paths resolved against ``baseDirectory``.
    private func resolvedPath(_ path: String, for name: String) throws(SettingsError) -> String {
        let trimmedPath = path.trimmingCharacters(in: .whitespaces)
        guard !trimmedPath.isEmpty else {
            throw SettingsError.missingValue("\(name) in \(origin) is empty; it must name a file")
        }
        if let baseDirectory, !trimmedPath.hasPrefix("/") {
            return URL(fileURLWithPath: baseDirectory).appendingPathComponent(trimmedPath).path
        }
        return trimmedPath
    }

    private func readFile(_ resolved: String, for name: String) throws(SettingsError) -> String {
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw SettingsError.unreadableFile("\(name) in \(origin) names \(resolved), which cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SettingsError.unreadableFile("\(name) in \(origin) names \(resolved), which is not UTF-8 text")
        }
        return Self.trimmingTrailingNewlines(text)
    }

    /// The text without the line breaks at its end (files usually end with one).
    static func trimmingTrailingNewlines(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last == "\n" || last == "\r" || last == "\r\n" {
            result.removeLast()
        }
        return String(result)
    }
}

/// A setting's raw text and where it came from.
struct RawSetting: Sendable {
    /// The setting name (`NAME`, never `NAME_FILE`).
    let name: String
    /// The text as given (file content without its trailing newline).
    let value: String
    /// Where the value came from, for error messages.
    let origin: String
    /// The file the value was read from, when it was given as `NAME_FILE`.
    var filePath: String? = nil
}
