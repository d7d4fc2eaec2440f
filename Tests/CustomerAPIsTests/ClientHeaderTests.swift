import Testing
@testable import CustomerAPIs

/// What reaches the API: checked on the server side.
@Suite struct ClientHeaderTests {
    typealias F = ClientFixtures

    /// Headers HTTP itself needs, besides the ones the bridge sets on purpose.
    static let transportHeaders: Set<String> = ["host", "content-length", "connection", "user-agent"]

    @Test func api1GetsItsKeyPairCorrelationAndTraceparentAndNothingElse() async throws {
        try await F.withServer(.json(200, DocumentExamples.api1ResultOK)) { server, client in
            let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            _ = try await client.send(F.api1Request, correlationID: "corr-42", traceparent: traceparent)
            let request = try #require(server.received.first)
            #expect(request.method == "POST")
            #expect(request.path == F.api1Path)
            #expect(request.body == F.api1Request.body)
            #expect(request.header("asapp-api-id") == "bridge-id")
            #expect(request.header("asapp-api-secret") == F.apiSecret)
            #expect(request.header("correlation-id") == "corr-42")
            #expect(request.header("traceparent") == traceparent)
            #expect(request.header("content-type") == "application/json")
            #expect(request.header("authorization") == nil)
            let names = Set(request.headers.map(\.name))
            let expected: Set<String> = ["asapp-api-id", "asapp-api-secret", "correlation-id", "traceparent", "content-type", "accept"]
            #expect(names.subtracting(Self.transportHeaders) == expected)
        }
    }

    @Test func api2GetsTheBearerTokenAndNoTraceparentWhenThereIsNone() async throws {
        try await F.withServer(.json(200, DocumentExamples.api2SuccessACK)) { server, client in
            _ = try await client.send(F.api2Request, correlationID: "corr-7", traceparent: nil)
            let request = try #require(server.received.first)
            #expect(request.path == F.api2Path)
            #expect(request.header("authorization") == "Bearer " + F.bearerToken)
            #expect(request.header("correlation-id") == "corr-7")
            #expect(request.header("traceparent") == nil)
            #expect(request.header("asapp-api-secret") == nil)
            let names = Set(request.headers.map(\.name))
            #expect(names.subtracting(Self.transportHeaders) == ["authorization", "correlation-id", "content-type", "accept"])
        }
    }

    @Test func controlCharactersCannotForgeHeaders() async throws {
        try await F.withServer(.json(200, DocumentExamples.api1ResultOK)) { server, client in
            _ = try await client.send(F.api1Request, correlationID: "a\r\nx-injected: 1", traceparent: "t\n")
            let request = try #require(server.received.first)
            #expect(request.header("x-injected") == nil)
            #expect(request.header("correlation-id") == "ax-injected: 1")
            #expect(request.header("traceparent") == "t")
        }
    }

    @Test func aSecretTheAPIEchoesNeverReachesTheOutcome() async throws {
        let echo = DocumentExamples.api1Error(code: "401-01", message: "bad secret \(F.apiSecret) for bridge-id")
        let bearerEcho = #"{"errorCode":"CUSTOMER_1024","errorMessage":"token \#(F.bearerToken) rejected","content":"","pageable":""}"#
        try await F.withServer(.json(401, echo), .json(200, bearerEcho)) { _, client in
            let api1 = try await client.send(F.api1Request, correlationID: "c-1", traceparent: nil).expectFailure()
            let message1 = try #require(api1?.message)
            #expect(!message1.contains(F.apiSecret))
            #expect(message1.contains("******"))
            let api2 = try await client.send(F.api2Request, correlationID: "c-2", traceparent: nil).expectFailure()
            let message2 = try #require(api2?.message)
            #expect(!message2.contains(F.bearerToken))
            #expect(message2.contains("******"))
        }
    }

    @Test func credentialsDescribeThemselvesWithoutTheSecret() {
        let endpoint = APIEndpoint(baseURL: "https://api.example.com/", credentials: .apiKey(id: "id-1", secret: Secret(F.apiSecret)))
        #expect(endpoint.baseURL == "https://api.example.com")
        #expect(!"\(endpoint)".contains(F.apiSecret))
        #expect(!"\(APICredentials.bearer(Secret(F.bearerToken)))".contains(F.bearerToken))
    }

    @Test(arguments: ["ftp://example.com", "not a url", "http://", "https://user:pw@example.com"])
    func badBaseURLsAreRefused(url: String) {
        #expect(throws: APIClientSettingsError.self) {
            _ = try APIClient(settings: APIClientSettings(
                customerMetadata: APIEndpoint(baseURL: url, credentials: .none), externalParams: nil
            ))
        }
    }

    @Test func aMissingCAFileIsRefused() {
        #expect(throws: APIClientSettingsError.self) {
            _ = try APIClient(settings: APIClientSettings(customerMetadata: nil, externalParams: nil, caFile: "/nonexistent/ca.pem"))
        }
    }
}
