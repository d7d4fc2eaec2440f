import Foundation
import NIOCore
import NIOPosix

/// A proxy that cannot be reached or refuses the bridge: an outage of that API's path, like a 401
/// (docs/contract.md, "Proxies"), so the circuit opens and nothing is dead-lettered.
enum ProxyFailure {
    /// The outage `error` is when the request went through `proxy`; `nil` when the error is not
    /// the proxy's (a TLS failure inside the tunnel, the API's silence…).
    static func outage(for error: any Error, proxy: HTTPProxy, kind: EventKind) -> APIFailure? {
        if let proxyError = error as? HTTPProxyError {
            switch proxyError {
            case .authenticationRequired:
                return refused(proxy, kind, code: .proxyAuthenticationRequired, status: 407, "asked for other credentials (407)")
            case .tunnelRefused(let status):
                return refused(proxy, kind, code: .proxyConnectFailed, status: nil, "refused the tunnel (CONNECT answered \(status))")
            case .closedBeforeTunnel, .tunnelTimeout:
                return unreachable(proxy, kind, proxyError.description)
            }
        }
        // Every connection goes to the proxy, so a connect that fails is the proxy's.
        if error is NIOConnectionError || (error as? HTTPTransportError) == .connectTimeout {
            return unreachable(proxy, kind, String(describing: error))
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return unreachable(proxy, kind, "no connection in time")
        }
        if let ioError = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT].contains(ioError.errnoCode) {
            return unreachable(proxy, kind, String(describing: error))
        }
        return nil
    }

    /// A 407 answered to a plain-http request the proxy forwards: the proxy wants other credentials.
    static func outage(forStatus status: Int, proxy: HTTPProxy, kind: EventKind) -> APIFailure? {
        guard status == 407 else { return nil }
        return refused(proxy, kind, code: .proxyAuthenticationRequired, status: 407, "asked for other credentials (407)")
    }

    private static func refused(_ proxy: HTTPProxy, _ kind: EventKind, code: ClientFailureCode, status: Int?, _ what: String) -> APIFailure {
        APIFailure(kind: .outage, code: code, message: "the proxy \(proxy) for the \(kind.apiName) \(what)", httpStatus: status)
    }

    private static func unreachable(_ proxy: HTTPProxy, _ kind: EventKind, _ why: String) -> APIFailure {
        APIFailure(kind: .outage, code: .proxyUnreachable, message: "cannot reach the proxy \(proxy) for the \(kind.apiName): \(why)")
    }
}
