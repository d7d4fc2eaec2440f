import Foundation

/// Turns command-line flags into setting names and values.
///
/// Every setting has a flag from ``SettingDefinition/flag`` (`--max-in-flight 64` or
/// `--max-in-flight=64`); `--NAME-file PATH` is the `NAME_FILE` form; and any
/// `--kafka-foo-bar VALUE` is the librdkafka property `foo.bar` (`KAFKA_FOO_BAR`).
public enum SettingFlags {
    /// The setting names and values of `arguments`, for ``BridgeSettings/load(flags:environment:configFile:)``.
    ///
    /// - Throws: ``SettingsError`` for an unknown flag, a flag without a value, or a flag given twice.
    public static func values(from arguments: [String]) throws(SettingsError) -> [String: String] {
        var values: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw SettingsError.unknownSetting("unexpected argument \(SettingsReader.quoted(argument)); settings are given as --flag value")
            }
            var flag = argument
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard let name = settingName(forFlag: flag) else {
                throw SettingsError.unknownSetting("unknown option \(flag); run with --help for the settings")
            }
            if value == nil {
                guard index < arguments.endIndex else {
                    throw SettingsError.missingValue("\(flag) needs a value")
                }
                value = arguments[index]
                index += 1
            }
            guard values[name] == nil else {
                throw SettingsError.givenTwice("\(flag) is given twice")
            }
            values[name] = value
        }
        return values
    }

    /// The setting name a flag sets (`--max-in-flight` → `BRIDGE_MAX_IN_FLIGHT`,
    /// `--asapp-api-secret-file` → `ASAPP_API_SECRET_FILE`, `--kafka-sasl-password` → `KAFKA_SASL_PASSWORD`).
    public static func settingName(forFlag flag: String) -> String? {
        if let definition = byFlag[flag] { return definition.name }
        let fileFlagSuffix = "-file"
        if flag.hasSuffix(fileFlagSuffix), let definition = byFlag[String(flag.dropLast(fileFlagSuffix.count))] {
            return definition.fileVariantName
        }
        let kafkaFlagPrefix = "--kafka-"
        guard flag.hasPrefix(kafkaFlagPrefix) else { return nil }
        let words = flag.dropFirst(kafkaFlagPrefix.count)
        guard !words.isEmpty,
              words.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        let name = SettingDefinition.kafkaPropertyPrefix + words.uppercased().replacingOccurrences(of: "-", with: "_")
        return SettingsLayers.isKnownName(name) ? name : nil
    }

    /// Help text listing every flag, generated from the table.
    public static var helpText: String {
        var lines = ["Settings (each also read from the environment variable named, or NAME_FILE; flags win):"]
        for definition in SettingDefinition.all {
            let fallback = definition.defaultValue.map { " (default \($0))" } ?? ""
            lines.append("  \(definition.flag) <value>  \(definition.name)\(fallback)")
        }
        lines.append("  --<flag>-file <path>  the setting's value read from a file (NAME_FILE)")
        lines.append("  --kafka-<property> <value>  any librdkafka property, e.g. --kafka-security-protocol SASL_SSL")
        return lines.joined(separator: "\n")
    }

    private static let byFlag: [String: SettingDefinition] = Dictionary(
        SettingDefinition.all.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
}
