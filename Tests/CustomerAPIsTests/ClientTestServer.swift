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
    /// When set, the body goes out one byte per interval (a slow or stalled upstream).
    var dripInterval: Duration?

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
    /// The client's port: one per connection, so it tells connections apart.
    var remotePort: Int?

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// A Hummingbird server on 127.0.0.1, ephemeral port, answering canned responses in order
/// (the last one repeats) and recording every request it gets.
final class ClientTestServer: Sendable {
    private let answers: Mutex<[CannedAnswer]>
    private let receivedRequests = Mutex<[ReceivedRequest]>([])
    private let heldGate = Gate()
    private let runTask = Mutex<Task<Void, any Error>?>(nil)
    /// Yields once per request received, before the answer is sent.
    let arrivals: AsyncStream<Void>
    private let arrival: AsyncStream<Void>.Continuation
    private let boundPort = Mutex(0)

    private init(answers: [CannedAnswer]) {
        self.answers = Mutex(answers)
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
            responder: CallbackResponder<ClientTestContext> { request, context in
                try await server.respond(to: request, remotePort: context.remotePort)
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
        heldGate.open()
    }

    /// Stops the server and waits until it has.
    func stop() async {
        releaseHeldAnswers()
        arrival.finish()
        let task = runTask.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }

    private func respond(to request: Request, remotePort: Int?) async throws -> Response {
        var headers: [(name: String, value: String)] = []
        for field in request.headers {
            headers.append((field.name.canonicalName, field.value))
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        receivedRequests.withLock {
            $0.append(ReceivedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers, body: Array(body.readableBytesView), remotePort: remotePort))
        }
        arrival.yield()
        let answer = answers.withLock { queue in
            queue.count > 1 ? queue.removeFirst() : queue[0]
        }
        if answer.held {
            await heldGate.wait()
        }
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        let responseBody: ResponseBody
        if let interval = answer.dripInterval {
            let bytes = Array(answer.body.utf8)
            responseBody = ResponseBody(contentLength: bytes.count) { writer in
                for byte in bytes {
                    try await writer.write(ByteBuffer(bytes: [byte]))
                    try await Task.sleep(for: interval)
                }
                try await writer.finish(nil)
            }
        } else {
            responseBody = ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: responseBody)
    }
}

/// The request context of the test server: Hummingbird's basics plus the client's port.
struct ClientTestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remotePort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remotePort = source.channel.remoteAddress?.port
    }
}

/// Holds any number of waiters until it is opened, once.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
