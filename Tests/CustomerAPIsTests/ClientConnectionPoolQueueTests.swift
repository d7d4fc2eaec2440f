import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
import TestSupport
@testable import CustomerAPIs

/// The pool's queue and connect backoff over real sockets: requests that wait for a connection
/// behind ones a server never answers, and connects to a port nobody listens on.
///
/// The pool is driven directly, so that the requests holding the connections can have a later
/// deadline than the one that waits (through ``APIClient`` every request has the same timeout,
/// and the held ones would time out first and free their connections).
@Suite struct ClientConnectionPoolQueueTests {
    static let request = HTTPExchangeRequest(
        method: .POST, target: "/metadata-ingestion/v1/single-customer-metadata",
        headers: HTTPHeaders([("host", "127.0.0.1"), ("content-length", "2")]), body: ByteBuffer(string: "{}"))

    static func pool(port: Int, maxConnections: Int, backoff: HTTPConnectionPool.ConnectBackoff = .init()) -> HTTPConnectionPool {
        HTTPConnectionPool(
            origin: HTTPOrigin(usesTLS: false, host: "127.0.0.1", port: port, hostHeader: "127.0.0.1:\(port)"),
            configuration: HTTPConnectionPool.Configuration(
                maxConnections: maxConnections, connectTimeout: .seconds(5),
                limits: HTTPExchangeHandler.Limits(maxResponseBytes: 1 << 20, checkInterval: .milliseconds(100), idleTimeout: .seconds(60)),
                tls: nil, proxy: nil, backoff: backoff))
    }

    /// Starts `count` requests the silent `server` holds, each with a deadline a minute away, and
    /// returns once the server has them all.
    static func hold(_ count: Int, on pool: HTTPConnectionPool, server: RawHTTPServer) async throws -> [Task<HTTPExchangeResponse, any Error>] {
        let held = (0..<count).map { _ in
            Task { try await pool.execute(request, deadline: .now() + .seconds(60)) }
        }
        try #require(await eventually(within: .seconds(20), every: .milliseconds(10)) { server.requestHeads.count == count }, "\(server.requestHeads.count) of \(count) arrived")
        return held
    }

    @Test func aRequestQueuedBehind256HungConnectionsFailsWithTimeoutAtItsDeadline() async throws {
        let server = try await RawHTTPServer.start(.silent)
        let pool = Self.pool(port: server.port, maxConnections: 256)
        let held = try await Self.hold(256, on: pool, server: server)

        let timeout = TimeAmount.seconds(1)
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await pool.execute(Self.request, deadline: .now() + timeout)
        }
        let elapsed = ContinuousClock.now - started
        #expect(error == .timeout)
        #expect(error.map { TransportFailure.classify($0, kind: .customerMetadata, timeout: timeout).code } == "TIMEOUT")
        // At its deadline, not before; the upper bound is generous for a loaded two-core machine
        // (without the queue deadline it took the held requests' 60 s).
        #expect(elapsed >= .milliseconds(990) && elapsed < .seconds(10), "took \(elapsed)")
        #expect(server.connections == 256, "the waiting request opened no connection")

        for task in held { task.cancel() }
        for task in held { _ = try? await task.value }
        await pool.shutdown()
        await server.stop()
    }

    @Test func aCancelledWaitingRequestEndsAtOnceAndKeepsNoSlot() async throws {
        let server = try await RawHTTPServer.start(.silent)
        let pool = Self.pool(port: server.port, maxConnections: 1)
        let held = try await Self.hold(1, on: pool, server: server)

        let waiting = Task { try await pool.execute(Self.request, deadline: .now() + .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))  // long enough to be queued
        let cancelled = ContinuousClock.now
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(ContinuousClock.now - cancelled < .seconds(5), "a cancelled waiter ends at once, not when a connection frees")

        // The held request's connection closes when it is cancelled; its slot, and no other,
        // serves the next request.
        held[0].cancel()
        _ = try? await held[0].value
        let next = Task { try await pool.execute(Self.request, deadline: .now() + .seconds(60)) }
        #expect(await eventually(within: .seconds(5), every: .milliseconds(10)) { server.requestHeads.count == 2 }, "the next request was sent")
        #expect(server.requestHeads.count == 2, "the cancelled request was never sent")
        next.cancel()
        _ = try? await next.value
        await pool.shutdown()
        await server.stop()
    }

    @Test func afterAFailedConnectTheNextConnectWaitsForTheBackoff() async throws {
        let gone = try await RawHTTPServer.start(.silent)
        let port = gone.port
        await gone.stop()
        // A backoff of 1 s, then 2 s: long enough that a stall of the loaded test machine cannot end it early.
        let pool = Self.pool(port: port, maxConnections: 4, backoff: .init(initial: .seconds(1), maximum: .seconds(4)))

        // Timed from before the first request: its connect fails inside the pool before the test
        // sees the error, so the backoff can end less than 1 s after the test saw it, but never
        // less than 1 s after the first request began. Without a backoff both refusals take
        // milliseconds.
        let started = ContinuousClock.now
        await #expect(throws: (any Error).self) { _ = try await pool.execute(Self.request, deadline: .now() + .seconds(5)) }
        let error = await #expect(throws: (any Error).self) { _ = try await pool.execute(Self.request, deadline: .now() + .seconds(5)) }
        let elapsed = ContinuousClock.now - started
        #expect(!(error is HTTPTransportError), "the second connect was tried and refused: \(String(describing: error))")
        #expect(elapsed >= .milliseconds(1000), "the second connect came \(elapsed) after the first request began, within the 1 s backoff")

        // A request whose deadline comes before the (now 2 s) backoff ends fails at it.
        let short = await #expect(throws: HTTPTransportError.self) { _ = try await pool.execute(Self.request, deadline: .now() + .milliseconds(50)) }
        #expect(short == .timeout)
        await pool.shutdown()
    }
}
