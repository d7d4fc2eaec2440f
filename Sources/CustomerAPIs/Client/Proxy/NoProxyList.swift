import Foundation

/// The hosts a `NO_PROXY` list sends directly, read as curl and Go read it.
///
/// Entries are separated by commas or white space: `*` covers every host; `example.com`,
/// `.example.com` and `*.example.com` cover that domain and every name under it; an IP address
/// covers itself and a CIDR range (`10.0.0.0/8`, `fd00::/8`) the addresses in it; any entry may
/// end with `:port` to cover that port only. Names compare case-insensitively.
public struct NoProxyList: Sendable, Equatable {
    private var entries: [Entry]

    private struct Entry: Sendable, Equatable {
        enum Pattern: Sendable, Equatable {
            case everything
            case domain(String)
            case address([UInt8])
            case range(network: [UInt8], prefixLength: Int)
        }
        var pattern: Pattern
        var port: Int?
    }

    public init(_ text: String) {
        entries = text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).compactMap { Self.entry(String($0)) }
    }

    /// Whether a request to `host:port` bypasses the proxy.
    public func covers(host rawHost: String, port: Int) -> Bool {
        let host = Self.bare(rawHost).lowercased()
        let address = Self.addressBytes(host)
        return entries.contains { entry in
            if let entryPort = entry.port, entryPort != port { return false }
            switch entry.pattern {
            case .everything:
                return true
            case .domain(let domain):
                return host == domain || host.hasSuffix("." + domain)
            case .address(let bytes):
                return address == bytes
            case .range(let network, let prefixLength):
                guard let address, address.count == network.count else { return false }
                return Self.prefix(of: address, prefixLength) == Self.prefix(of: network, prefixLength)
            }
        }
    }

    private static func entry(_ raw: String) -> Entry? {
        var text = raw.lowercased()
        if text == "*" { return Entry(pattern: .everything, port: nil) }
        var port: Int?
        // A port: `host:8443` or `[::1]:8443`; a bare IPv6 address has several colons and no port.
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let number = Int(rest.dropFirst()) else { return nil }
                port = number
            } else if !rest.isEmpty, !rest.hasPrefix("/") {
                return nil
            }
            text = String(text[text.index(after: text.startIndex)..<close]) + (rest.hasPrefix("/") ? String(rest) : "")
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            guard let number = Int(text[text.index(after: colon)...]) else { return nil }
            port = number
            text = String(text[..<colon])
        }
        if let slash = text.firstIndex(of: "/") {
            guard let network = addressBytes(String(text[..<slash])), let length = Int(text[text.index(after: slash)...]),
                  length >= 0, length <= network.count * 8
            else { return nil }
            return Entry(pattern: .range(network: network, prefixLength: length), port: port)
        }
        if let bytes = addressBytes(text) { return Entry(pattern: .address(bytes), port: port) }
        if text.hasPrefix("*.") { text.removeFirst(2) }
        while text.hasPrefix(".") { text.removeFirst() }
        guard !text.isEmpty else { return nil }
        return Entry(pattern: .domain(text), port: port)
    }

    private static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The address's bytes (4 or 16), or `nil` for a name.
    private static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func prefix(of bytes: [UInt8], _ length: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsBefore = index * 8
            if bitsBefore >= length {
                result[index] = 0
            } else if length - bitsBefore < 8 {
                result[index] &= UInt8(truncatingIfNeeded: 0xFF << (8 - (length - bitsBefore)))
            }
        }
        return result
    }
}
