import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import Synchronization

/// One answer the test server gives, taken from the API documents' response examples.
struct CannedAnswer: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: String
    /// When set, the server keeps the request waiting until the test calls `releaseHeldAnswers()`.
    var held = false

    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> CannedAnswer {
        CannedAnswer(status: status, headers: headers.merging(["content-type": "application/json"]) { own, _ in own }, body: body)
    }
}

/// A request as the test server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    /// Header names lowercased, in arrival order.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// A Hummingbird server on 127.0.0.1, ephemeral port, answering canned responses in order
/// (the last one repeats) and recording every request it gets.
final class ClientTestServer: Sendable {
    private let answers: Mutex<[CannedAnswer]>
    private let receivedRequests = Mutex<[ReceivedRequest]>([])
    private let heldGate: AsyncStream<Never>
    private let heldGateRelease: AsyncStream<Never>.Continuation
    private let runTask = Mutex<Task<Void, any Error>?>(nil)
    /// Yields once per request received, before the answer is sent.
    let arrivals: AsyncStream<Void>
    private let arrival: AsyncStream<Void>.Continuation
    private let boundPort = Mutex(0)

    private init(answers: [CannedAnswer]) {
        self.answers = Mutex(answers)
        (heldGate, heldGateRelease) = AsyncStream.makeStream(of: Never.self)
        (arrivals, arrival) = AsyncStream.makeStream(of: Void.self)
    }

    /// Starts a server that answers `answers` in order, repeating the last one.
    static func start(_ answers: CannedAnswer...) async throws -> ClientTestServer {
        try await start(answers)
    }

    /// Starts a server that answers `answers` in order, repeating the last one.
    static func start(_ answers: [CannedAnswer]) async throws -> ClientTestServer {
        precondition(!answers.isEmpty, "a test server needs at least one answer")
        let server = ClientTestServer(answers: answers)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "client-test-server")
        logger.logLevel = .critical
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                try await server.respond(to: request)
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        server.runTask.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await port in ports {
            server.boundPort.withLock { $0 = port }
        }
        return server
    }

    /// The port the server listens on.
    var port: Int { boundPort.withLock { $0 } }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far.
    var received: [ReceivedRequest] { receivedRequests.withLock { $0 } }

    /// Lets every held answer go.
    func releaseHeldAnswers() {
        heldGateRelease.finish()
    }

    /// Stops the server and waits until it has.
    func stop() async {
        releaseHeldAnswers()
        arrival.finish()
        let task = runTask.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }

    private func respond(to request: Request) async throws -> Response {
        var headers: [(name: String, value: String)] = []
        for field in request.headers {
            headers.append((field.name.canonicalName, field.value))
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        receivedRequests.withLock {
            $0.append(ReceivedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers, body: Array(body.readableBytesView)))
        }
        arrival.yield()
        let answer = answers.withLock { queue in
            queue.count > 1 ? queue.removeFirst() : queue[0]
        }
        if answer.held {
            for await _ in heldGate {}
        }
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
        )
    }
}
