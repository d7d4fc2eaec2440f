import Foundation

/// A broker address from `KAFKA_BOOTSTRAP_SERVERS`: `host:port`, `[v6]:port`, `host` (port 9092),
/// with an optional `SCHEME://` prefix as librdkafka allows.
struct BrokerAddress: Sendable, Equatable {
    let host: String
    let port: Int

    /// librdkafka's port when none is given.
    static let defaultPort = 9092

    /// Splits and checks a comma-separated broker list.
    static func parseList(_ text: String, setting: String) throws(SettingsError) -> [BrokerAddress] {
        var addresses: [BrokerAddress] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = item.trimmingCharacters(in: .whitespaces)
            guard let address = parse(entry) else {
                throw SettingsError.invalidValue("\(setting) has an invalid broker address \(SettingsReader.quoted(entry)): use host:port")
            }
            addresses.append(address)
        }
        return addresses
    }

    /// One address, or nil when it is not one.
    static func parse(_ entry: String) -> BrokerAddress? {
        var rest = Substring(entry)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" || $0 == ":" && !rest.hasPrefix("[") }) else {
            return nil
        }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { return nil }
            port = value
        }
        return BrokerAddress(host: String(host), port: port)
    }
}
