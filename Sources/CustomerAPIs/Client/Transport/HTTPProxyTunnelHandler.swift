import NIOCore

/// Why a proxy did not carry a request.
enum HTTPProxyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The proxy answered the CONNECT with 407: it wants other credentials.
    case authenticationRequired
    /// The proxy answered the CONNECT with another status than 2xx.
    case tunnelRefused(status: Int)
    /// The proxy closed the connection, or answered something that is not HTTP, before the tunnel was open.
    case closedBeforeTunnel
    /// The proxy did not answer the CONNECT in time.
    case tunnelTimeout

    var description: String {
        switch self {
        case .authenticationRequired: "the proxy asked for other credentials (407)"
        case .tunnelRefused(let status): "the proxy refused the tunnel (CONNECT answered \(status))"
        case .closedBeforeTunnel: "the proxy closed the connection before the tunnel was open"
        case .tunnelTimeout: "the proxy did not answer the CONNECT in time"
        }
    }
}

/// Opens a tunnel through a forward proxy: sends `CONNECT host:port` (with `Proxy-Authorization`
/// when the proxy URL had credentials) as soon as the connection is up, reads the proxy's answer
/// head, and on a 2xx removes itself so that TLS to the API runs inside the tunnel.
///
/// Confined to its channel's event loop, as every channel handler is.
final class HTTPProxyTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// The longest answer head a proxy may send.
    static let maxHeadBytes = 16 * 1024

    private let target: String
    private let authorization: String?
    private let timeout: TimeAmount
    private let opened: EventLoopPromise<Void>
    private var answer: [UInt8] = []
    private var sent = false
    private var done = false
    private var timer: Scheduled<Void>?

    /// - Parameters:
    ///   - target: `host:port` of the API.
    ///   - authorization: the `Proxy-Authorization` value, if any.
    ///   - opened: succeeded when the tunnel is open, failed with ``HTTPProxyError`` otherwise.
    init(target: String, authorization: String?, timeout: TimeAmount, opened: EventLoopPromise<Void>) {
        self.target = target
        self.authorization = authorization
        self.timeout = timeout
        self.opened = opened
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendConnect(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendConnect(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        answer.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        guard let headEnd = Self.headEnd(answer) else {
            if answer.count > Self.maxHeadBytes { finish(context: context, .failure(HTTPProxyError.closedBeforeTunnel)) }
            return
        }
        guard let status = Self.status(answer[..<headEnd]) else {
            finish(context: context, .failure(HTTPProxyError.closedBeforeTunnel))
            return
        }
        switch status {
        case 200..<300:
            finish(context: context, .success(()))
        case 407:
            finish(context: context, .failure(HTTPProxyError.authenticationRequired))
        default:
            finish(context: context, .failure(HTTPProxyError.tunnelRefused(status: status)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context, .failure(HTTPProxyError.closedBeforeTunnel))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, .failure(error))
    }

    private func sendConnect(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        var head = "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n"
        if let authorization { head += "Proxy-Authorization: \(authorization)\r\n" }
        head += "\r\n"
        context.writeAndFlush(NIOAny(ByteBuffer(string: head)), promise: nil)
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            bound.value.handler.finish(context: bound.value.context, .failure(HTTPProxyError.tunnelTimeout))
        }
    }

    /// Completes the promise once: on success the handler leaves the pipeline, otherwise the connection closes.
    private func finish(context: ChannelHandlerContext, _ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        timer?.cancel()
        switch result {
        case .success:
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            opened.succeed(())
        case .failure(let error):
            opened.fail(error)
            context.close(promise: nil)
        }
    }

    /// The index just past the `\r\n\r\n` that ends the head, if it arrived.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index - 3] == 13 && bytes[index - 2] == 10 && bytes[index - 1] == 13 && bytes[index] == 10 {
            return index + 1
        }
        return nil
    }

    /// The status of `HTTP/1.x NNN …`, if the head starts so.
    private static func status(_ head: ArraySlice<UInt8>) -> Int? {
        let line = String(decoding: head.prefix(64), as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1].prefix(3)) else { return nil }
        return status
    }
}
