import Foundation

/// A forward proxy: where it listens and the credentials it wants, from a URL such as
/// `http://user:password@proxy.corp:3128` (user info percent-decoded; no scheme means `http`).
///
/// Its description masks the password, like every secret.
public struct HTTPProxy: Sendable, Equatable, CustomStringConvertible {
    /// The proxy's host, without IPv6 brackets.
    public var host: String
    public var port: Int
    /// The user name from the URL, when it had user info.
    public var username: String?
    /// The password from the URL, when it had one.
    public var password: Secret?

    public init(host: String, port: Int, username: String? = nil, password: Secret? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// Parses a proxy URL given in `variable`.
    ///
    /// - Throws: ``APIClientSettingsError`` for anything but `[http://][user[:password]@]host[:port][/]`;
    ///   the message never repeats the URL's password.
    public init(url text: String, variable: String) throws {
        let withScheme = text.contains("://") ? text : "http://" + text
        let invalid = APIClientSettingsError(reason: "\(variable) must be http://[user:password@]host[:port], got '\(Self.masked(withScheme))'")
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased() else {
            throw invalid
        }
        guard scheme == "http" else {
            throw APIClientSettingsError(
                reason: "\(variable): only http:// proxies are supported (https is tunnelled through them with CONNECT), got '\(Self.masked(withScheme))'")
        }
        guard let host = components.host, !host.isEmpty, components.path.isEmpty || components.path == "/",
              components.query == nil, components.fragment == nil
        else { throw invalid }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(
            host: bareHost, port: components.port ?? 80,
            username: components.percentEncodedUser.map { $0.removingPercentEncoding ?? $0 },
            password: components.percentEncodedPassword.map { Secret($0.removingPercentEncoding ?? $0) })
    }

    /// `http://user:******@host:port`, never the password.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var userInfo = ""
        if let username {
            userInfo = username + (password == nil ? "" : ":******") + "@"
        }
        return "http://\(userInfo)\(hostPart):\(port)"
    }

    /// `Basic base64(user:password)` for `Proxy-Authorization`, when the URL had user info.
    var basicAuthorization: String? {
        guard let username else { return nil }
        return "Basic " + Data("\(username):\(password?.reveal() ?? "")".utf8).base64EncodedString()
    }

    /// The secret values to keep out of every message.
    var secretValues: [String] {
        guard let password, !password.isEmpty else { return [] }
        return [password.reveal()]
    }

    /// `text` (a URL, with or without its scheme) with the password of its user info replaced by `******`.
    public static func masked(_ text: String) -> String {
        let authorityStart = text.range(of: "://")?.upperBound ?? text.startIndex
        // The last `@` ends the user info even when an unencoded password holds `/` or `@`.
        let rest = text[authorityStart...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":******" + text[at...]
    }
}
