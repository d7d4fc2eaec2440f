import NIOCore
import NIOHTTP1

/// Runs one exchange at a time on a kept-alive HTTP/1.1 connection.
///
/// It writes a request (head, body and end) in one flush, collects the answer up to a size limit,
/// hands the connection back to its pool when the answer is complete, and closes it when the
/// server asks to or when anything goes wrong. One repeating check per connection enforces the
/// request's deadline and closes connections idle for too long, instead of timers set and
/// cancelled for every request.
///
/// Confined to its channel's event loop, as every channel handler is.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPPendingExchange
    typealias OutboundOut = HTTPClientRequestPart

    /// Limits and intervals of the connection.
    struct Limits: Sendable {
        /// The longest answer body read; a longer one is answered with a `nil` body.
        var maxResponseBytes: Int
        /// How often the deadline and the idle time are checked.
        var checkInterval: TimeAmount
        /// How long an unused connection stays open.
        var idleTimeout: TimeAmount
    }

    private let pool: HTTPConnectionPool
    private let limits: Limits
    private var current: HTTPPendingExchange?
    private var status = 0
    private var retryAfter: String?
    private var keepAlive = true
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var idleSince = NIODeadline.now()
    private var check: RepeatedTask?

    init(pool: HTTPConnectionPool, limits: Limits) {
        self.pool = pool
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startChecking(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startChecking(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        fail(with: HTTPTransportError.connectionClosed)
        pool.connectionClosed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(with: error)
        context.close(promise: nil)
    }

    // MARK: - Request

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard current == nil else {
            // The pool hands a connection to one request at a time; this cannot happen.
            promise?.fail(HTTPTransportError.connectionClosed)
            return
        }
        // From here the exchange is this handler's: its promise is completed here and only here.
        promise?.succeed(())
        current = exchange
        status = 0
        retryAfter = nil
        keepAlive = true
        bodyTooLarge = false
        let head = HTTPRequestHead(
            version: .http1_1, method: exchange.request.method, uri: exchange.request.target, headers: exchange.request.headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if exchange.request.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(exchange.request.body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    // MARK: - Answer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            retryAfter = head.headers.first(name: "retry-after")
            keepAlive = head.isKeepAlive
        case .body(let buffer):
            guard !bodyTooLarge else { return }
            if body.count + buffer.readableBytes > limits.maxResponseBytes {
                bodyTooLarge = true
                body = []
            } else {
                body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            guard let exchange = current else {
                // An answer nobody asked for: the connection cannot be trusted any more.
                context.close(promise: nil)
                return
            }
            let response = HTTPExchangeResponse(status: status, retryAfter: retryAfter, body: bodyTooLarge ? nil : body)
            current = nil
            body = []
            idleSince = .now()
            // Back to the pool before the caller hears of it, so that its next request finds the connection free.
            if keepAlive {
                pool.release(context.channel)
            } else {
                context.close(promise: nil)
            }
            exchange.promise.succeed(response)
        }
    }

    // MARK: - Time

    private func startChecking(context: ChannelHandlerContext) {
        guard check == nil else { return }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleRepeatedTask(initialDelay: limits.checkInterval, delay: limits.checkInterval) { _ in
            bound.value.handler.checkTimes(context: bound.value.context)
        }
    }

    private func checkTimes(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        if let current {
            guard now >= current.deadline else { return }
            fail(with: HTTPTransportError.timeout)
            context.close(promise: nil)
        } else if now - idleSince >= limits.idleTimeout {
            context.close(promise: nil)
        }
    }

    private func fail(with error: any Error) {
        guard let exchange = current else { return }
        current = nil
        body = []
        exchange.promise.fail(error)
    }
}
