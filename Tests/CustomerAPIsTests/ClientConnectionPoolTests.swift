import NIOCore
import Testing
import TestSupport
@testable import CustomerAPIs

/// The client's connection pool against a byte-level server: answers ended by a close, kept-alive
/// connections the server drops, servers that never answer, cancellation, and what goes on the wire.
@Suite struct ClientConnectionPoolTests {
    typealias F = ClientFixtures
    static let success = APIOutcome.success(APISuccess(httpStatus: 200, resultID: "5484e507-feaf-11ec-bfc1-fda566fa9333"))

    @Test func answersEndedByClosingTheConnectionAreReadAndEachRequestOpensANewOne() async throws {
        let server = try await RawHTTPServer.start(.closeDelimited(body: DocumentExamples.api1ResultOK))
        let client = try F.client(baseURL: "http://127.0.0.1:\(server.port)")
        for index in 0..<3 {
            let outcome = try await client.send(F.api1Request, correlationID: "c-\(index)", traceparent: nil)
            #expect(outcome == Self.success)
        }
        try await client.shutdown()
        await server.stop()
        #expect(server.requestHeads.count == 3)
        #expect(server.connections == 3)
    }

    @Test func aKeptAliveConnectionTheServerClosedIsReplaced() async throws {
        let server = try await RawHTTPServer.start(.closeWhenIdle(body: DocumentExamples.api1ResultOK, idle: .milliseconds(50)))
        let client = try F.client(baseURL: "http://127.0.0.1:\(server.port)")
        #expect(try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil) == Self.success)
        try await Task.sleep(for: .milliseconds(300))  // the server has closed the idle connection by now
        #expect(try await client.send(F.api1Request, correlationID: "c-2", traceparent: nil) == Self.success)
        try await client.shutdown()
        await server.stop()
        #expect(server.requestHeads.count == 2)
        #expect(server.connections == 2)
    }

    @Test func aServerThatNeverAnswersTimesOutAndTheConnectionIsClosed() async throws {
        let server = try await RawHTTPServer.start(.silent)
        let client = try F.client(baseURL: "http://127.0.0.1:\(server.port)", timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
        let elapsed = ContinuousClock.now - started
        #expect(failure?.code == "TIMEOUT")
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(10), "took \(elapsed)")
        #expect(await eventually(within: .seconds(2), every: .milliseconds(10)) { server.closedByClient == 1 }, "the timed-out connection is not reused")
        try await client.shutdown()
        await server.stop()
    }

    @Test func aCancelledRequestEndsAtOnceAndClosesItsConnection() async throws {
        let server = try await RawHTTPServer.start(.silent)
        let client = try F.client(baseURL: "http://127.0.0.1:\(server.port)", timeout: .seconds(30))
        let request = Task { try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil) }
        #expect(await eventually(within: .seconds(2), every: .milliseconds(10)) { server.requestHeads.count == 1 })
        request.cancel()
        await #expect(throws: CancellationError.self) { try await request.value }
        #expect(await eventually(within: .seconds(2), every: .milliseconds(10)) { server.closedByClient == 1 })
        try await client.shutdown()
        await server.stop()
    }

    @Test func theBaseURLPathPrefixesEveryRequestAndTheHeadNamesHostAndLength() async throws {
        let server = try await RawHTTPServer.start(.keepAlive(body: DocumentExamples.api1ResultOK))
        let port = server.port  // read while the server runs: a closed channel has no address
        let client = try F.client(baseURL: "http://127.0.0.1:\(port)/gateway/v1")
        #expect(try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil) == Self.success)
        try await client.shutdown()
        await server.stop()
        let head = try #require(server.requestHeads.first).lowercased()
        #expect(head.hasPrefix("post /gateway/v1\(F.api1Path.lowercased()) http/1.1\r\n"), "\(head)")
        #expect(head.contains("\r\nhost: 127.0.0.1:\(port)"))
        #expect(head.contains("\r\ncontent-length: \(F.api1Request.body.count)"))
    }
}
