import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import Testing
@testable import CustomerAPIs

/// TLS verification over loopback: a server whose certificate a private CA signed.
@Suite struct ClientTLSTests {
    typealias F = ClientFixtures

    @Test func anUntrustedCertificateIsRefused() async throws {
        let server = try await TLSTestServer.start()
        let client = try APIClient(settings: APIClientSettings(
            customerMetadata: APIEndpoint(baseURL: "https://127.0.0.1:\(server.port)", credentials: .apiKey(id: "i", secret: Secret(F.apiSecret))),
            externalParams: nil, timeout: .seconds(1)
        ))
        let outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
        try await client.shutdown()
        let requests = server.requestCount
        try await server.stop()
        let failure = outcome.expectFailure()
        #expect(failure?.kind == .transient)
        #expect(failure?.code == "CONNECTION_FAILED")
        #expect(requests == 0, "no request (and no credential) crosses an unverified connection")
    }

    @Test func theCustomCAFileIsTrusted() async throws {
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem").path
        try Data(ClientTLSFixtures.caCertificatePEM.utf8).write(to: URL(fileURLWithPath: caFile))
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let server = try await TLSTestServer.start()
        let client = try APIClient(settings: APIClientSettings(
            customerMetadata: APIEndpoint(baseURL: "https://127.0.0.1:\(server.port)", credentials: .none),
            externalParams: nil, timeout: .seconds(5), caFile: caFile
        ))
        let outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
        try await client.shutdown()
        let requests = server.requestCount
        try await server.stop()
        #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: "5484e507-feaf-11ec-bfc1-fda566fa9333")))
        #expect(requests == 1)
    }
}

/// A minimal HTTPS server on 127.0.0.1 that answers every request with API 1's success example.
final class TLSTestServer: Sendable {
    private let channel: any Channel
    private let counter: RequestCounter

    private init(channel: any Channel, counter: RequestCounter) {
        self.channel = channel
        self.counter = counter
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var requestCount: Int { counter.count }

    static func start() async throws -> TLSTestServer {
        let certificate = try NIOSSLCertificate(bytes: Array(ClientTLSFixtures.serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(ClientTLSFixtures.serverPrivateKeyPEM.utf8), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        let context = try NIOSSLContext(configuration: configuration)
        let counter = RequestCounter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(SuccessExampleHandler(counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TLSTestServer(channel: channel, counter: counter)
    }

    func stop() async throws {
        try await channel.close()
    }
}

/// Counts requests across the server's connections.
final class RequestCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func increment() { value.withLock { $0 += 1 } }
}

private final class SuccessExampleHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let counter: RequestCounter

    init(counter: RequestCounter) {
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        counter.increment()
        let body = ByteBuffer(string: DocumentExamples.api1ResultOK)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
