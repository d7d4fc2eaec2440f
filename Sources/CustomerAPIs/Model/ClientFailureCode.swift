/// The code of a failure the client names itself, because no API answer named it: no answer in
/// time, no connection, no proxy, no configuration, or an HTTP status without an API code.
///
/// Built like AsyncHTTPClient's `HTTPClientError`, a struct over a private enum: ``code`` is the
/// text replies and dead letters carry (`TIMEOUT`), one of a fixed set and so safe as a metric
/// label, and each code is a static member. An ``APIFailure`` keeps the text, as the API's own
/// codes (`CUSTOMER_1024`) are text too.
public struct ClientFailureCode: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case timeout
        case connectionFailed
        case apiNotConfigured
        case proxyAuthenticationRequired
        case proxyConnectFailed
        case proxyUnreachable
        case httpStatus(Int)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// No answer within the HTTP timeout.
    public static let timeout = ClientFailureCode(.timeout)
    /// The connection could not be made, or broke before the answer.
    public static let connectionFailed = ClientFailureCode(.connectionFailed)
    /// The API has no base URL configured.
    public static let apiNotConfigured = ClientFailureCode(.apiNotConfigured)
    /// The proxy asked for other credentials (407).
    public static let proxyAuthenticationRequired = ClientFailureCode(.proxyAuthenticationRequired)
    /// The proxy refused the tunnel (`CONNECT` answered other than 2xx).
    public static let proxyConnectFailed = ClientFailureCode(.proxyConnectFailed)
    /// The proxy could not be reached.
    public static let proxyUnreachable = ClientFailureCode(.proxyUnreachable)

    /// An API answer with this status and no code of the API's own (`HTTP_503`).
    public static func httpStatus(_ status: Int) -> ClientFailureCode { ClientFailureCode(.httpStatus(status)) }

    /// The code as replies, dead letters and metrics show it, e.g. `TIMEOUT` or `HTTP_503`.
    public var code: String {
        switch base {
        case .timeout: "TIMEOUT"
        case .connectionFailed: "CONNECTION_FAILED"
        case .apiNotConfigured: "API_NOT_CONFIGURED"
        case .proxyAuthenticationRequired: "PROXY_AUTHENTICATION_REQUIRED"
        case .proxyConnectFailed: "PROXY_CONNECT_FAILED"
        case .proxyUnreachable: "PROXY_UNREACHABLE"
        case .httpStatus(let status): "HTTP_\(status)"
        }
    }

    /// The code.
    public var description: String { code }
}
