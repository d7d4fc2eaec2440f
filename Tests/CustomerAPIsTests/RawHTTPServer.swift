import NIOCore
import NIOPosix
import Synchronization

/// A loopback HTTP/1.1 server written at the byte level, for what a framework server will not do:
/// answers delimited by closing the connection, closing kept-alive connections, never answering.
/// It records every connection's requests as text.
final class RawHTTPServer: Sendable {
    /// What the server does with each complete request.
    enum Behaviour: Sendable {
        /// Answers `body` with a `content-length` and keeps the connection.
        case keepAlive(body: String)
        /// Answers `body` without a length and closes the connection to end it.
        case closeDelimited(body: String)
        /// Answers with keep-alive, then closes the connection after `idle` without a request.
        case closeWhenIdle(body: String, idle: TimeAmount)
        /// Never answers.
        case silent
    }

    private let channel: any Channel
    private let state = Mutex<(requests: [String], connections: Int, closedByClient: Int)>(([], 0, 0))

    /// The requests' heads (request line and headers), in arrival order.
    var requestHeads: [String] { state.withLock { $0.requests } }
    /// How many connections were accepted.
    var connections: Int { state.withLock { $0.connections } }
    /// How many connections the client closed.
    var closedByClient: Int { state.withLock { $0.closedByClient } }
    /// The bound port; read it while the server runs.
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(_ behaviour: Behaviour) async throws -> RawHTTPServer {
        let recorder = Recorder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                recorder.accepted()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawHTTPHandler(behaviour: behaviour, recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = RawHTTPServer(channel: channel)
        recorder.server.withLock { $0 = server }
        return server
    }

    func stop() async {
        try? await channel.close()
    }

    fileprivate func record(request: String) { state.withLock { $0.requests.append(request) } }
    fileprivate func recordConnection() { state.withLock { $0.connections += 1 } }
    fileprivate func recordClosedByClient() { state.withLock { $0.closedByClient += 1 } }
}

/// Forwards what the connections see to the server object, which exists only once bound.
private final class Recorder: Sendable {
    let server = Mutex<RawHTTPServer?>(nil)
    func accepted() { server.withLock { $0?.recordConnection() } }
    func request(_ head: String) { server.withLock { $0?.record(request: head) } }
    func closedByClient() { server.withLock { $0?.recordClosedByClient() } }
}

private final class RawHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let behaviour: RawHTTPServer.Behaviour
    private let recorder: Recorder
    private var received: [UInt8] = []
    private var idleClose: Scheduled<Void>?
    private var closingOurselves = false

    init(behaviour: RawHTTPServer.Behaviour, recorder: Recorder) {
        self.behaviour = behaviour
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        while let (head, length) = completeRequest() {
            received.removeFirst(length)
            recorder.request(head)
            respond(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleClose?.cancel()
        if !closingOurselves { recorder.closedByClient() }
    }

    /// The head of the first complete request and its length with the body.
    private func completeRequest() -> (String, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard received.count >= 4,
              let end = (0...(received.count - 4)).first(where: { Array(received[$0..<($0 + 4)]) == separator })
        else { return nil }
        let head = String(decoding: received[..<end], as: UTF8.self)
        let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        let bodyLength = lengthLine.flatMap { Int($0.split(separator: ":")[1].trimmingPrefix(" ")) } ?? 0
        let total = end + 4 + bodyLength
        return received.count >= total ? (head, total) : nil
    }

    private func respond(context: ChannelHandlerContext) {
        switch behaviour {
        case .keepAlive(let body):
            write("HTTP/1.1 200 OK\r\ncontent-length: \(body.utf8.count)\r\ncontent-type: application/json\r\n\r\n\(body)", context)
        case .closeDelimited(let body):
            write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n\(body)", context)
            closingOurselves = true
            context.close(promise: nil)
        case .closeWhenIdle(let body, let idle):
            write("HTTP/1.1 200 OK\r\ncontent-length: \(body.utf8.count)\r\ncontent-type: application/json\r\n\r\n\(body)", context)
            idleClose?.cancel()
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            idleClose = context.eventLoop.scheduleTask(in: idle) {
                bound.value.handler.closingOurselves = true
                bound.value.context.close(promise: nil)
            }
        case .silent:
            break
        }
    }

    private func write(_ text: String, _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}
