import APISimulator
import Logging
import Testing
import TestSupport
@testable import CustomerAPIs

/// The clients against the project's API simulator (both APIs, strictly validated, with faults).
@Suite struct SimulatorClientTests {
    typealias F = ClientFixtures
    static let credentials = SimulatorCredentials.default

    static func endpoints(_ baseURL: String, secret: String = credentials.apiSecret, token: String = credentials.token) -> APIClientSettings {
        APIClientSettings(
            customerMetadata: APIEndpoint(baseURL: baseURL, credentials: .apiKey(id: credentials.apiId, secret: Secret(secret))),
            externalParams: APIEndpoint(baseURL: baseURL, credentials: .bearer(Secret(token))),
            timeout: .seconds(5)
        )
    }

    /// Runs `body` with a started simulator and a client pointed at it; stops both whatever happens.
    static func withSimulator(
        settings: (String) -> APIClientSettings = { endpoints($0) },
        _ body: (APISimulator, APIClient) async throws -> Void
    ) async throws {
        var logger = Logger(label: "api-simulator")
        logger.logLevel = .critical  // its shutdown notes are not the test's business
        let simulator = APISimulator(logger: logger)
        _ = try await simulator.start()
        let client: APIClient
        do {
            client = try APIClient(settings: settings(simulator.baseURL))
        } catch {
            await simulator.stop()
            throw error
        }
        do {
            try await body(simulator, client)
        } catch {
            try await client.shutdown()
            await simulator.stop()
            throw error
        }
        try await client.shutdown()
        await simulator.stop()
    }

    /// API 1's request with its own event id, so repeated tests don't collide on the simulator's 409.
    static func api1Request(eventID: String) -> APIRequest {
        APIRequest(
            kind: .customerMetadata, path: F.api1Path,
            body: Array(#"{"externalConversationId":"issue509","externalCustomerId":"555.555.0100-jdoe@example.com","eventId":"\#(eventID)"}"#.utf8)
        )
    }

    @Test func api1AcceptsAndAnswersWithItsEventID() async throws {
        try await Self.withSimulator { simulator, client in
            let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let outcome = try await client.send(Self.api1Request(eventID: "sim-1"), correlationID: "corr-1", traceparent: traceparent)
            let accepted = try #require(simulator.accepted(.customerMetadata).first)
            #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: accepted.answerId)))
            #expect(accepted.eventId == "sim-1")
            #expect(accepted.correlationId == "corr-1")
            #expect(accepted.traceparent == traceparent)
        }
    }

    @Test func api2AcceptsAndAnswersWithItsRequestID() async throws {
        try await Self.withSimulator { simulator, client in
            let outcome = try await client.send(F.api2Request, correlationID: "corr-2", traceparent: nil)
            let accepted = try #require(simulator.accepted(.externalParams).first)
            #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: accepted.answerId)))
            #expect(accepted.correlationId == "corr-2")
            #expect(accepted.traceparent == nil)
        }
    }

    @Test func aRepeatedEventIDIsADuplicateSuccess() async throws {
        try await Self.withSimulator { _, client in
            let request = Self.api1Request(eventID: "sim-dup")
            _ = try await client.send(request, correlationID: "c", traceparent: nil)
            let again = try await client.send(request, correlationID: "c", traceparent: nil)
            guard case .success(let success) = again else {
                Issue.record("expected a duplicate success, got \(again)")
                return
            }
            #expect(success.duplicate)
            #expect(success.httpStatus == 409)
        }
    }

    @Test func wrongCredentialsAreAnOutageThatOpensTheCircuit() async throws {
        try await Self.withSimulator(settings: { Self.endpoints($0, secret: "wrong-secret", token: "wrong-token") }) { _, client in
            var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
            let api1 = try await client.send(Self.api1Request(eventID: "sim-auth"), correlationID: "c", traceparent: nil).expectFailure()
            #expect(api1?.kind == .outage)
            #expect(api1?.httpStatus == 401)
            #expect(api1?.message.contains("wrong-secret") == false)
            let api2 = try await client.send(F.api2Request, correlationID: "c", traceparent: nil)
            #expect(api2.expectFailure()?.kind == .outage)
            guard case .opened = circuit.record(api2, now: .now) else {
                Issue.record("a 401 must open the circuit")
                return
            }
        }
    }

    @Test func invalidRequestIsPermanent() async throws {
        try await Self.withSimulator { _, client in
            let invalid = APIRequest(kind: .customerMetadata, path: F.api1Path, body: Array(#"{"externalCustomerId":"x"}"#.utf8))
            let failure = try await client.send(invalid, correlationID: "c", traceparent: nil).expectFailure()
            #expect(failure?.kind == .permanent)
            #expect(failure?.httpStatus == 400)
        }
    }

    @Test func unavailableThenRetriedSucceeds() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.addFault(.failNext(1, status: 503, api: .externalParams))
            let first = try await client.send(F.api2Request, correlationID: "c", traceparent: nil)
            let failure = first.expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "GLOBAL_1001")
            #expect(failure?.httpStatus == 503)
            let second = try await client.send(F.api2Request, correlationID: "c", traceparent: nil)
            guard case .success = second else {
                Issue.record("the retry should succeed, got \(second)")
                return
            }
        }
    }

    @Test func throttledCarriesRetryAfter() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.addFault(.throttleNext(1, retryAfter: 3))
            let failure = try await client.send(Self.api1Request(eventID: "sim-429"), correlationID: "c", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.httpStatus == 429)
            #expect(failure?.retryAfter == .seconds(3))
            var generator = SeededGenerator(seed: 3)
            #expect(RetryPolicy.standard.delay(afterAttempt: 1, retryAfter: failure?.retryAfter, using: &generator) == .seconds(3))
        }
    }

    @Test func api2NAKsAreClassifiedByTheirErrorCode() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.addFault(.failNext(1, status: 200, code: "GLOBAL_1001", api: .externalParams))
            simulator.addFault(.failNext(1, status: 200, code: "CUSTOMER_1024", api: .externalParams))
            let transient = try await client.send(F.api2Request, correlationID: "c", traceparent: nil).expectFailure()
            #expect(transient?.kind == .transient)
            #expect(transient?.code == "GLOBAL_1001")
            let permanent = try await client.send(F.api2Request, correlationID: "c", traceparent: nil).expectFailure()
            #expect(permanent?.kind == .permanent)
            #expect(permanent?.code == "CUSTOMER_1024")
        }
    }

    @Test func api1ErrorTextIsPermanentWithItsCode() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.addFault(.failNext(1, status: 200, code: "FAIL_BAD_PARAMS", message: "ERROR: agent id cannot be blank", api: .customerMetadata))
            let failure = try await client.send(Self.api1Request(eventID: "sim-err"), correlationID: "c", traceparent: nil).expectFailure()
            #expect(failure?.kind == .permanent)
            #expect(failure?.code == "FAIL_BAD_PARAMS")
        }
    }

    @Test func proxyHTMLIsClassifiedByStatus() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.addFault(.failNext(1, status: 502, body: DocumentExamples.proxyHTML502))
            let failure = try await client.send(F.api2Request, correlationID: "c", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "HTTP_502")
        }
    }

    @Test func aDroppedConnectionIsTransient() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.addFault(.dropNext(1))
            let failure = try await client.send(F.api2Request, correlationID: "c", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "CONNECTION_FAILED")
        }
    }
}
