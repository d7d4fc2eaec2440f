import Foundation
import Yams

/// The optional `--config` YAML file: a mapping of setting names to values.
///
/// ```yaml
/// KAFKA_BOOTSTRAP_SERVERS: broker-1:9092,broker-2:9092
/// BRIDGE_MAX_IN_FLIGHT: 64
/// BRIDGE_CUSTOMER_TOPICS: [customer-events, vip-customer-events]
/// ASAPP_API_SECRET_FILE: /run/secrets/asapp-api-secret
/// KAFKA_SECURITY_PROTOCOL: SASL_SSL
/// ```
/// Scalars keep their text as written (`064` stays `064`); a list becomes comma-separated text;
/// `null` or nothing is the empty value. Relative `_FILE` paths are relative to the file's folder.
enum SettingsFile {
    /// Reads and parses the file into a settings level.
    static func layer(path: String) throws(SettingsError) -> SettingsLayer {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError.unreadableFile("config file \(path) cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SettingsError.unreadableFile("config file \(path) is not UTF-8 text")
        }
        let origin = "config file \(path)"
        let values = try parse(text, origin: origin)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return SettingsLayer(origin: origin, values: values, baseDirectory: folder)
    }

    /// Parses YAML text into setting names and raw values.
    static func parse(_ text: String, origin: String) throws(SettingsError) -> [String: String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw SettingsError.unreadableFile("\(origin) is not valid YAML: \(Self.oneLine(String(describing: error)))")
        }
        guard let root else { return [:] }
        guard case .mapping(let mapping) = root else {
            throw SettingsError.unreadableFile("\(origin) must be a mapping of setting names to values")
        }
        var values: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw SettingsError.unreadableFile("\(origin) has a key that is not a setting name")
            }
            let key = keyScalar.string
            guard SettingsLayers.isKnownName(key) else {
                throw SettingsError.unknownSetting("\(origin) names an unknown setting \(key)")
            }
            guard values[key] == nil else {
                throw SettingsError.givenTwice("\(origin) sets \(key) twice")
            }
            values[key] = try scalarText(valueNode, key: key, origin: origin, allowList: true)
        }
        return values
    }

    private static func scalarText(_ node: Node, key: String, origin: String, allowList: Bool) throws(SettingsError) -> String {
        switch node {
        case .scalar(let scalar):
            // Plain `null`, `~` or nothing is YAML's null: the empty value. Quoted "null" is the text.
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return isNull ? "" : scalar.string
        case .sequence(let sequence) where allowList:
            var items: [String] = []
            for item in sequence {
                items.append(try scalarText(item, key: key, origin: origin, allowList: false))
            }
            return items.joined(separator: ",")
        default:
            throw SettingsError.invalidValue("\(key) in \(origin) must be a single value\(allowList ? " or a list" : "")")
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
