import Testing
@testable import CustomerAPIs

/// The client's outcomes driving RetryPolicy, CircuitBreaker and RateLimiter, as the bridge does,
/// with explicit instants instead of waiting.
@Suite struct ClientRetryFlowTests {
    typealias F = ClientFixtures
    let policy = RetryPolicy(base: .milliseconds(200), max: .seconds(30), maxAttempts: 3)
    let start = ContinuousClock.now

    @Test func retryAfter429HonoursRetryAfterThenSucceeds() async throws {
        let tooMany = CannedAnswer.json(429, DocumentExamples.api1Error(code: "429-01", message: "Too Many Requests"), headers: ["retry-after": "2"])
        try await F.withServer(tooMany, .json(200, DocumentExamples.api1ResultOK)) { server, client in
            var generator = SeededGenerator(state: 1)
            var limiter = RateLimiter(maxRequestsPerSecond: 10)
            var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))

            let first = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
            let failure = try #require(first.expectFailure())
            #expect(failure.kind == .transient)
            #expect(failure.retryAfter == .seconds(2))
            limiter.record(first)
            #expect(limiter.currentRequestsPerSecond == 5)
            #expect(circuit.record(first, now: start) == nil)
            #expect(policy.mayRetry(afterAttempt: 1))
            #expect(policy.delay(afterAttempt: 1, retryAfter: failure.retryAfter, using: &generator) == .seconds(2))

            let second = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
            #expect(second == .success(APISuccess(httpStatus: 200, resultID: "5484e507-feaf-11ec-bfc1-fda566fa9333")))
            limiter.record(second)
            #expect(limiter.currentRequestsPerSecond == 10)
            #expect(circuit.record(second, now: start.advanced(by: .seconds(2))) == nil)
            #expect(server.received.count == 2)
        }
    }

    @Test func retryAfter503ThenSucceeds() async throws {
        let unavailable = CannedAnswer.json(503, DocumentExamples.api1Error(code: "503-01", message: "Service Unavailable"))
        try await F.withServer(unavailable, .json(200, DocumentExamples.api2SuccessACK)) { _, client in
            var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
            var attempt = 0
            var outcome: APIOutcome
            repeat {
                attempt += 1
                outcome = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil)
                _ = circuit.record(outcome, now: start.advanced(by: .seconds(attempt)))
            } while outcome.isTransient && policy.mayRetry(afterAttempt: attempt)
            #expect(attempt == 2)
            #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: "ff74dca6-8e7f-4b85-a42b-13860913b370")))
            #expect(!circuit.isOpen)
        }
    }

    @Test func anEventExhaustedWhileTheAPIIsDownOpensTheCircuit() async throws {
        let unavailable = CannedAnswer.json(503, DocumentExamples.api1Error(code: "503-01", message: "Service Unavailable"))
        try await F.withServer(unavailable) { server, client in
            var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
            var attempt = 0
            var outcome: APIOutcome
            repeat {
                attempt += 1
                outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
                _ = circuit.record(outcome, now: start.advanced(by: .seconds(attempt)))
            } while outcome.isTransient && policy.mayRetry(afterAttempt: attempt)
            #expect(attempt == 3)
            #expect(server.received.count == 3)
            let transition = circuit.eventExhausted(firstAttempt: start, now: start.advanced(by: .seconds(4)))
            guard case .opened = transition else {
                Issue.record("expected the circuit to open, got \(String(describing: transition))")
                return
            }
        }
    }

    @Test func circuitOpensOn401AndAProbeClosesIt() async throws {
        let unauthorized = CannedAnswer.json(401, DocumentExamples.api1Error(code: "401-01", message: "Unauthorized"))
        try await F.withServer(unauthorized, .json(200, DocumentExamples.api1ResultOK)) { server, client in
            var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
            #expect(circuit.permit(now: start) == .send)
            let first = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
            guard case .opened(let reason) = circuit.record(first, now: start) else {
                Issue.record("a 401 must open the circuit")
                return
            }
            #expect(reason.contains("401"))
            #expect(!reason.contains(F.apiSecret))
            #expect(circuit.permit(now: start.advanced(by: .seconds(1))) == .wait(until: start.advanced(by: .seconds(5))))
            #expect(server.received.count == 1, "nothing is sent while the circuit is open")

            #expect(circuit.permit(now: start.advanced(by: .seconds(5))) == .probe)
            let probe = try await client.send(F.api1Request, correlationID: "c-2", traceparent: nil)
            #expect(circuit.record(probe, now: start.advanced(by: .seconds(5))) == .closed)
            #expect(circuit.permit(now: start.advanced(by: .seconds(6))) == .send)
        }
    }
}

extension APIOutcome {
    var isTransient: Bool {
        if case .failure(let failure) = self { return failure.kind == .transient }
        return false
    }
}
