import NIOCore
import NIOHTTP1

/// One HTTP/1.1 request as the connection pool sends it.
struct HTTPExchangeRequest: Sendable {
    var method: HTTPMethod
    /// The request target: path and query.
    var target: String
    /// Every header, `host` and `content-length` included.
    var headers: HTTPHeaders
    var body: ByteBuffer
}

/// An answer read off a connection.
struct HTTPExchangeResponse: Sendable {
    var status: Int
    /// The `Retry-After` header's text, when there was one.
    var retryAfter: String?
    /// The body, or `nil` when it was longer than the pool's limit.
    var body: [UInt8]?
}

/// A request handed to a connection, with the promise its answer completes and its deadline.
struct HTTPPendingExchange: Sendable {
    var request: HTTPExchangeRequest
    var deadline: NIODeadline
    var promise: EventLoopPromise<HTTPExchangeResponse>
}

/// Why no answer came back.
enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request's deadline passed before the whole answer arrived.
    case timeout
    /// The connection could not be made within the connect timeout.
    case connectTimeout
    /// The connection closed before the answer was complete.
    case connectionClosed
    /// The pool is shut down.
    case shutDown

    var description: String {
        switch self {
        case .timeout: "the answer did not arrive in time"
        case .connectTimeout: "the connection could not be made in time"
        case .connectionClosed: "the connection closed before the answer was complete"
        case .shutDown: "the HTTP client is shut down"
        }
    }
}
