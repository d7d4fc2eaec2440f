import Foundation

/// The conventional proxy variables: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, each also in its
/// lower-case form, which wins when both are set (as curl and most tools read them).
public struct ProxyEnvironment: Sendable, Equatable {
    /// The proxy for `https` URLs, as written (`http://user:password@proxy.corp:3128`).
    public var httpsProxy: String?
    /// The proxy for `http` URLs, as written.
    public var httpProxy: String?
    /// Hosts reached directly: a comma- or space-separated list (see ``NoProxyList``).
    public var noProxy: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    /// Reads the variables from `environment`; an empty value counts as unset.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            for candidate in [name.lowercased(), name] {
                if let text = environment[candidate]?.trimmingWhitespace, !text.isEmpty { return text }
            }
            return nil
        }
        self.init(httpsProxy: value("HTTPS_PROXY"), httpProxy: value("HTTP_PROXY"), noProxy: value("NO_PROXY"))
    }

    /// No proxy at all.
    public static let empty = ProxyEnvironment()

    /// How requests to `baseURL` (`scheme://host[:port]…`) travel: through the proxy named by the
    /// variable for its scheme, or directly when there is none or `NO_PROXY` covers the host.
    ///
    /// - Throws: ``APIClientSettingsError`` when that variable is not a proxy URL.
    public func decision(forBaseURL baseURL: String) throws -> ProxyDecision {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { return .direct(reason: "not an http(s) URL") }
        let isHTTPS = scheme == "https"
        let port = components.port ?? (isHTTPS ? 443 : 80)
        let variable = isHTTPS ? "HTTPS_PROXY" : "HTTP_PROXY"
        guard let text = isHTTPS ? httpsProxy : httpProxy else { return .direct(reason: "no \(variable)") }
        if let noProxy, NoProxyList(noProxy).covers(host: host, port: port) {
            return .direct(reason: "NO_PROXY covers \(host)")
        }
        return .proxy(try HTTPProxy(url: text, variable: variable), variable: variable)
    }
}

/// Whether an API's requests go through a proxy, decided once at start-up from its base URL.
public enum ProxyDecision: Sendable, Equatable, CustomStringConvertible {
    /// Straight to the API, and why (`no HTTPS_PROXY`, `NO_PROXY covers api.example.com`).
    case direct(reason: String)
    /// Through `proxy`, named by `variable` (`HTTPS_PROXY` or `HTTP_PROXY`).
    case proxy(HTTPProxy, variable: String)

    /// The proxy, when there is one.
    public var proxy: HTTPProxy? {
        if case .proxy(let proxy, _) = self { return proxy }
        return nil
    }

    /// `http://user:******@proxy:3128 (HTTPS_PROXY)` or `none (NO_PROXY covers …)`; never a password.
    public var description: String {
        switch self {
        case .direct(let reason): "none (\(reason))"
        case .proxy(let proxy, let variable): "\(proxy) (\(variable))"
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
