import Testing
@testable import CustomerAPIs

/// The shared HTTP client's connections and deadline, seen from the server.
@Suite struct ClientConnectionTests {
    typealias F = ClientFixtures

    @Test func sequentialRequestsReuseOneKeptAliveConnection() async throws {
        try await F.withServer(.json(200, DocumentExamples.api1ResultOK)) { server, client in
            for index in 0..<5 {
                _ = try await client.send(F.api1Request, correlationID: "c-\(index)", traceparent: nil)
                _ = try await client.send(F.api2Request, correlationID: "c-\(index)", traceparent: nil)
            }
            #expect(server.received.count == 10)
            #expect(Set(server.received.compactMap(\.remotePort)).count == 1, "both APIs share one pooled connection to the host")
        }
    }

    @Test func concurrentRequestsStayWithinTheConnectionLimit() async throws {
        var held = CannedAnswer.json(200, DocumentExamples.api1ResultOK)
        held.held = true
        try await F.withServer(held, maxConnectionsPerHost: 2) { server, client in
            try await withThrowingTaskGroup(of: APIOutcome.self) { group in
                for index in 0..<12 {
                    group.addTask { try await client.send(F.api1Request, correlationID: "c-\(index)", traceparent: nil) }
                }
                // Every connection the pool may open carries a request the server holds.
                var arrived = 0
                for await _ in server.arrivals {
                    arrived += 1
                    if arrived == 2 { break }
                }
                server.releaseHeldAnswers()
                for try await outcome in group {
                    #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: "5484e507-feaf-11ec-bfc1-fda566fa9333")))
                }
            }
            #expect(server.received.count == 12)
            let connections = Set(server.received.compactMap(\.remotePort))
            #expect(connections.count <= 2, "at most maxConnectionsPerHost connections, saw \(connections.count)")
        }
    }

    @Test func theTimeoutCoversTheWholeBody() async throws {
        // The body trickles in a byte per 100 ms: never idle long enough for a read timeout,
        // but far longer in all than the request's 500 ms.
        var slow = CannedAnswer.json(200, DocumentExamples.api1ResultOK)
        slow.dripInterval = .milliseconds(100)
        try await F.withServer(slow, timeout: .milliseconds(500)) { _, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "TIMEOUT")
        }
    }
}
