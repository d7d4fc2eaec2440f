import Testing
import CustomerAPIs
@testable import Bridge

@Suite struct SettingsCustomerAPIsTests {
    @Test func apiClientSettingsCarryEndpointsCredentialsAndTuning() throws {
        let settings = try BridgeSettings.load(flags: [:], environment: minimalEnvironment.merging([
            "ASAPP_BASE_URL": "https://asapp.example.com/",
            "ASAPP_API_ID": "id-1",
            "ASAPP_API_SECRET": "asapp-s3cret",
            "EXTERNAL_PARAMS_BASE_URL": "http://127.0.0.1:8081",
            "EXTERNAL_PARAMS_TOKEN": "ep-t0ken",
            "EXTERNAL_PARAMS_CUSTOMER_ID": "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10",
            "BRIDGE_HTTP_TIMEOUT_MS": "1500",
            "BRIDGE_HTTP_CA_BUNDLE": "/etc/ca.pem",
            "BRIDGE_MAX_EVENT_BYTES": "4096",
            "EXTERNAL_PARAMS_MAX_RPS": "12",
        ]) { $1 }, configFile: nil)
        let client = settings.apiClientSettings
        let asapp = try #require(client.customerMetadata)
        #expect(asapp.baseURL == "https://asapp.example.com")
        guard case .apiKey(let id, let secret) = asapp.credentials else {
            Issue.record("API 1 credentials: \(asapp.credentials)")
            return
        }
        #expect(id == "id-1")
        #expect(secret.reveal() == "asapp-s3cret")
        let externalParams = try #require(client.externalParams)
        guard case .bearer(let token) = externalParams.credentials else {
            Issue.record("API 2 credentials: \(externalParams.credentials)")
            return
        }
        #expect(token.reveal() == "ep-t0ken")
        #expect(client.timeout == .milliseconds(1500))
        #expect(client.caFile == "/etc/ca.pem")
        #expect(settings.eventDecoderSettings.maxEventBytes == 4096)
        #expect(settings.eventDecoderSettings.externalParamsCustomerID == "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10")
        #expect(settings.retryPolicy.base == .milliseconds(200))
        #expect(settings.retryPolicy.maxAttempts == 8)
        #expect(settings.makeCircuitBreaker().threshold == 20)
        #expect(settings.makeCircuitBreaker().probeInterval == .seconds(5))
        #expect(settings.maxRequestsPerSecond(for: .externalParams) == 12)
        #expect(settings.maxRequestsPerSecond(for: .customerMetadata) == 0)
    }

    @Test func unconfiguredAPIsAreNilAndMissingCredentialsAreNone() throws {
        let client = BridgeSettings(bootstrapServers: "b:9092").apiClientSettings
        #expect(client.customerMetadata == nil)
        #expect(client.externalParams == nil)
        var settings = BridgeSettings(bootstrapServers: "b:9092")
        settings.externalParams.baseURL = "http://127.0.0.1:1"
        let credentials = try #require(settings.apiClientSettings.externalParams?.credentials)
        guard case APICredentials.none = credentials else {
            Issue.record("expected no credentials")
            return
        }
    }
}
