import Foundation

/// Where an API's requests go: scheme, host and port (one connection pool each), and the path
/// that every request path of the API follows.
struct HTTPOrigin: Hashable, Sendable {
    /// Whether connections use TLS (`https`).
    var usesTLS: Bool
    /// The host to connect to, without IPv6 brackets.
    var host: String
    var port: Int
    /// The `Host` header: the base URL's authority as written.
    var hostHeader: String

    /// Whether `host` is an IP address literal (which TLS must not send as the server name).
    var hostIsIPAddress: Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

/// A base URL split once, at start-up, into its origin and its path prefix.
struct HTTPBaseURL: Sendable {
    var origin: HTTPOrigin
    /// The base URL's path (and query, if any) as written: request paths are appended to it.
    var pathPrefix: String

    /// Splits an `http(s)://host[:port][/path]` URL; `nil` for anything else.
    init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty,
              let schemeEnd = text.range(of: "://")
        else { return nil }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let usesTLS = scheme == "https"
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.origin = HTTPOrigin(
            usesTLS: usesTLS, host: bareHost, port: url.port ?? (usesTLS ? 443 : 80),
            hostHeader: String(afterScheme[..<authorityEnd]))
        self.pathPrefix = String(afterScheme[authorityEnd...])
    }
}
