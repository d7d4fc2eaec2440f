import Testing
@testable import CustomerAPIs

/// Requests and clients shared by the client tests.
enum ClientFixtures {
    static let api1Path = "/metadata-ingestion/v1/single-customer-metadata"
    static let api2Path = "/api/v2/customer/0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10/external-params/subscriber/a5ad9f06-0164-4475-8919-fcf1d4a4befe"
    static let apiSecret = "s3cr3t-api-value-7781"
    static let bearerToken = "tok-e1d2c3b4a5"

    static let api1Request = APIRequest(
        kind: .customerMetadata, path: api1Path,
        body: Array(#"{"externalConversationId":"issue509","externalCustomerId":"555.555.0100-jdoe@example.com","eventId":"eventId-1938"}"#.utf8)
    )
    static let api2Request = APIRequest(
        kind: .externalParams, path: api2Path,
        body: Array(#"{"externalParams":[{"extParamConfigId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"9876543212"}]}"#.utf8)
    )

    static func request(for kind: EventKind) -> APIRequest {
        kind == .customerMetadata ? api1Request : api2Request
    }

    /// A client whose both APIs point at `baseURL`, with API 1's key pair and API 2's bearer token.
    static func client(
        baseURL: String, timeout: Duration = .seconds(5), maxResponseBytes: Int = 1 << 20, maxConnectionsPerHost: Int = 64
    ) throws -> APIClient {
        try APIClient(settings: APIClientSettings(
            customerMetadata: APIEndpoint(baseURL: baseURL, credentials: .apiKey(id: "bridge-id", secret: Secret(apiSecret))),
            externalParams: APIEndpoint(baseURL: baseURL, credentials: .bearer(Secret(bearerToken))),
            timeout: timeout,
            maxConnectionsPerHost: maxConnectionsPerHost,
            maxResponseBytes: maxResponseBytes
        ))
    }

    /// Starts a server with `answers`, hands it and a client to `body`, then shuts both down, whatever happens.
    static func withServer(
        _ answers: CannedAnswer..., timeout: Duration = .seconds(5), maxResponseBytes: Int = 1 << 20,
        maxConnectionsPerHost: Int = 64,
        _ body: (ClientTestServer, APIClient) async throws -> Void
    ) async throws {
        let server = try await ClientTestServer.start(answers)
        let client: APIClient
        do {
            client = try Self.client(
                baseURL: server.baseURL, timeout: timeout, maxResponseBytes: maxResponseBytes, maxConnectionsPerHost: maxConnectionsPerHost
            )
        } catch {
            await server.stop()
            throw error
        }
        do {
            try await body(server, client)
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }
}

extension APIOutcome {
    /// The failure, or a recorded issue when the outcome is a success.
    func expectFailure(sourceLocation: SourceLocation = #_sourceLocation) -> APIFailure? {
        switch self {
        case .failure(let failure):
            return failure
        case .success(let success):
            Issue.record("expected a failure, got \(success)", sourceLocation: sourceLocation)
            return nil
        }
    }
}
