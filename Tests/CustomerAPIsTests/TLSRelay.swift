import NIOCore
import NIOPosix
import NIOSSL

/// Serves a plain-HTTP server (the API simulator) over TLS on 127.0.0.1, with the certificate of
/// ``ClientTLSFixtures`` (signed by its private CA): each TLS connection is relayed byte for byte
/// to a connection of its own to the target.
final class TLSRelay: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var baseURL: String { "https://127.0.0.1:\(port)" }

    static func start(relayingTo targetPort: Int) async throws -> TLSRelay {
        let certificate = try NIOSSLCertificate(bytes: Array(ClientTLSFixtures.serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(ClientTLSFixtures.serverPrivateKeyPEM.utf8), format: .pem)
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    try channel.pipeline.syncOperations.addHandler(RelayInboundHandler(targetPort: targetPort))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TLSRelay(channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// On the TLS side: opens the connection to the target when the client connects, forwards the
/// decrypted bytes to it (holding them until it is open), and closes it when the client goes.
private final class RelayInboundHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let targetPort: Int
    private var target: (any Channel)?
    private var pending: [ByteBuffer] = []
    private var closed = false

    init(targetPort: Int) {
        self.targetPort = targetPort
    }

    func channelActive(context: ChannelHandlerContext) {
        let client = context.channel
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayBackHandler(client: client))
                }
            }
            .connect(host: "127.0.0.1", port: targetPort)
            .whenComplete { result in
                let (handler, context) = bound.value
                switch result {
                case .success(let target):
                    guard !handler.closed else {
                        target.close(promise: nil)
                        return
                    }
                    handler.target = target
                    for buffer in handler.pending { target.write(buffer, promise: nil) }
                    handler.pending = []
                    target.flush()
                case .failure:
                    context.close(promise: nil)
                }
            }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if let target {
            target.writeAndFlush(buffer, promise: nil)
        } else {
            pending.append(buffer)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        target?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// On the target side: forwards the target's bytes to the TLS client, and closes it with the target.
private final class RelayBackHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let client: any Channel

    init(client: any Channel) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        client.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
