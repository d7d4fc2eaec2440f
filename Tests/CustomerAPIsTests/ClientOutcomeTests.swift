import Testing
@testable import CustomerAPIs

/// One test per outcome row of docs/contract.md, "Outcomes", over real HTTP on loopback.
@Suite struct ClientOutcomeTests {
    typealias F = ClientFixtures

    // MARK: success

    @Test func api1SuccessCarriesTheResultEventID() async throws {
        try await F.withServer(.json(200, DocumentExamples.api1ResultOK)) { _, client in
            let outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
            #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: "5484e507-feaf-11ec-bfc1-fda566fa9333")))
        }
    }

    @Test func api2SuccessCarriesTheRequestID() async throws {
        try await F.withServer(.json(200, DocumentExamples.api2SuccessACK)) { _, client in
            let outcome = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil)
            #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: "ff74dca6-8e7f-4b85-a42b-13860913b370")))
        }
    }

    @Test func api1ConflictIsASuccessWithDuplicate() async throws {
        try await F.withServer(.json(409, DocumentExamples.api1Error(code: "409-01", message: "Conflict"))) { _, client in
            let outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
            #expect(outcome == .success(APISuccess(httpStatus: 409, resultID: nil, duplicate: true)))
        }
    }

    // MARK: permanent

    @Test(arguments: [
        (400, DocumentExamples.api1ResultWithError, "FAIL_BAD_PARAMS"),
        (404, DocumentExamples.api1Error(code: "404-01", message: "Not Found"), "404-01"),
        (413, DocumentExamples.api1Error(code: "413-01", message: "Request Entity Too Large"), "413-01"),
        (422, DocumentExamples.api1Error(code: "422-01", message: "Unprocessable Entity"), "422-01"),
    ])
    func api1Permanent4xx(status: Int, body: String, code: String) async throws {
        try await F.withServer(.json(status, body)) { _, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .permanent)
            #expect(failure?.code == code)
            #expect(failure?.httpStatus == status)
            #expect(failure?.retryable == false)
        }
    }

    @Test func api1OKWithErrorTextIsPermanent() async throws {
        try await F.withServer(.json(200, DocumentExamples.api1ResultWithError)) { _, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .permanent)
            #expect(failure?.code == "FAIL_BAD_PARAMS")
            #expect(failure?.message.contains("agent id cannot be blank") == true)
        }
    }

    @Test func api2Customer1024IsPermanent() async throws {
        try await F.withServer(.json(200, DocumentExamples.api2Customer1024)) { _, client in
            let failure = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .permanent)
            #expect(failure?.code == "CUSTOMER_1024")
        }
    }

    @Test func redirectIsNotFollowedAndIsPermanent() async throws {
        let elsewhere = try await ClientTestServer.start(.json(200, DocumentExamples.api1ResultOK))
        let redirect = CannedAnswer(status: 307, headers: ["location": elsewhere.baseURL + F.api1Path], body: "")
        try await F.withServer(redirect) { server, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .permanent)
            #expect(failure?.code == "HTTP_307")
            #expect(server.received.count == 1)
        }
        #expect(elsewhere.received.isEmpty, "credentials never reach the redirect's host")
        await elsewhere.stop()
    }

    // MARK: transient

    @Test(arguments: [
        (500, DocumentExamples.api1Error(code: "500-01", message: "Internal server error"), "500-01"),
        (503, DocumentExamples.api1Error(code: "503-01", message: "Service Unavailable"), "503-01"),
        (429, DocumentExamples.api1Error(code: "429-01", message: "Too Many Requests"), "429-01"),
        (408, "", "HTTP_408"),
        (504, "", "HTTP_504"),
    ])
    func transientStatuses(status: Int, body: String, code: String) async throws {
        try await F.withServer(.json(status, body)) { _, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == code)
            #expect(failure?.httpStatus == status)
            #expect(failure?.retryable == true)
        }
    }

    @Test func api2Global1001IsTransient() async throws {
        try await F.withServer(.json(200, DocumentExamples.api2FailureNAK)) { _, client in
            let failure = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "GLOBAL_1001")
            #expect(failure?.message.contains("Service unavailable. Please try again") == true)
        }
    }

    @Test func html502FromAProxyIsClassifiedByStatus() async throws {
        let html = CannedAnswer(status: 502, headers: ["content-type": "text/html"], body: DocumentExamples.proxyHTML502)
        try await F.withServer(html) { _, client in
            let failure = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "HTTP_502")
            #expect(failure?.httpStatus == 502)
        }
    }

    @Test func noAnswerWithinTheTimeoutIsATransientTimeout() async throws {
        var held = CannedAnswer.json(200, DocumentExamples.api1ResultOK)
        held.held = true
        try await F.withServer(held, timeout: .milliseconds(300)) { server, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .transient)
            #expect(failure?.code == "TIMEOUT")
            #expect(failure?.httpStatus == nil)
            server.releaseHeldAnswers()
        }
    }

    @Test func connectionRefusedIsATransientConnectionFailure() async throws {
        let gone = try await ClientTestServer.start(.json(200, ""))
        let port = gone.port
        await gone.stop()
        // AsyncHTTPClient keeps trying to connect until the request's deadline, so keep it short.
        let client = try F.client(baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(1))
        let outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
        try await client.shutdown()
        let failure = outcome.expectFailure()
        #expect(failure?.kind == .transient)
        #expect(failure?.code == "CONNECTION_FAILED")
        #expect(failure?.httpStatus == nil)
    }

    // MARK: outage

    @Test(arguments: [
        (401, DocumentExamples.api1Error(code: "401-01", message: "Unauthorized"), "401-01"),
        (403, DocumentExamples.api1Error(code: "403-01", message: "Forbidden Response"), "403-01"),
    ])
    func unauthorizedAndForbiddenAreAnOutage(status: Int, body: String, code: String) async throws {
        try await F.withServer(.json(status, body)) { _, client in
            let failure = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            #expect(failure?.kind == .outage)
            #expect(failure?.code == code)
        }
    }

    @Test func unconfiguredAPIIsAnOutage() async throws {
        let client = try APIClient(settings: APIClientSettings(customerMetadata: nil, externalParams: nil))
        let outcome = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil)
        try await client.shutdown()
        let failure = outcome.expectFailure()
        #expect(failure?.kind == .outage)
        #expect(failure?.code == "API_NOT_CONFIGURED")
    }

    // MARK: limits

    @Test func bodyOverTheLimitIsClassifiedByStatusAlone() async throws {
        let long = #"{"result":{"eventId":"x","error":"FAIL_BAD_PARAMS: "# + String(repeating: "x", count: 4000) + #""}}"#
        try await F.withServer(.json(200, long), maxResponseBytes: 256) { _, client in
            let outcome = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil)
            #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: nil)))
        }
    }

    @Test func cancellationThrows() async throws {
        var held = CannedAnswer.json(200, DocumentExamples.api1ResultOK)
        held.held = true
        try await F.withServer(held) { server, client in
            let task = Task { try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil) }
            // Cancel once the server holds the request, so the cancellation hits the request in flight.
            for await _ in server.arrivals { break }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            server.releaseHeldAnswers()
        }
    }
}
