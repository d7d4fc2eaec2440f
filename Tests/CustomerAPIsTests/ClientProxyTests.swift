import APISimulator
import Foundation
import Logging
import Testing
import TestSupport
@testable import CustomerAPIs

/// The API client through a real forward proxy on loopback (Debian's tinyproxy), calling the API
/// simulator served over TLS by a private CA, as the bridge configures it from HTTPS_PROXY,
/// NO_PROXY and BRIDGE_HTTP_CA_BUNDLE.
@Suite(.serialized) struct ClientProxyTests {
    typealias F = ClientFixtures
    static let credentials = SimulatorCredentials.default

    /// A running simulator behind a TLS relay, and the private CA's file.
    struct TLSSimulator {
        let simulator: APISimulator
        let relay: TLSRelay
        let caFile: String

        static func start() async throws -> TLSSimulator {
            var logger = Logger(label: "api-simulator")
            logger.logLevel = .critical
            let simulator = APISimulator(logger: logger)
            let port = try await simulator.start()
            let relay = try await TLSRelay.start(relayingTo: port)
            let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem").path
            try Data(ClientTLSFixtures.caCertificatePEM.utf8).write(to: URL(fileURLWithPath: caFile))
            return TLSSimulator(simulator: simulator, relay: relay, caFile: caFile)
        }

        /// Both APIs at the relay's https URL, with the simulator's credentials and the CA trusted.
        func settings(environment: [String: String], baseURL: String? = nil) -> APIClientSettings {
            let url = baseURL ?? relay.baseURL
            return APIClientSettings(
                customerMetadata: APIEndpoint(baseURL: url, credentials: .apiKey(id: credentials.apiId, secret: Secret(credentials.apiSecret))),
                externalParams: APIEndpoint(baseURL: url, credentials: .bearer(Secret(credentials.token))),
                timeout: .seconds(5), caFile: caFile, proxies: ProxyEnvironment(environment: environment))
        }

        func stop() async {
            await relay.stop()
            await simulator.stop()
            try? FileManager.default.removeItem(atPath: caFile)
        }
    }

    static func api1Request(eventID: String) -> APIRequest {
        APIRequest(
            kind: .customerMetadata, path: F.api1Path,
            body: Array(#"{"externalConversationId":"issue509","externalCustomerId":"555.555.0100-jdoe@example.com","eventId":"\#(eventID)"}"#.utf8))
    }

    /// Sends one request of each API with a client of `settings` and returns both outcomes.
    static func sendBoth(_ settings: APIClientSettings, eventID: String) async throws -> [APIOutcome] {
        let client = try APIClient(settings: settings)
        var outcomes: [APIOutcome] = []
        do {
            outcomes.append(try await client.send(api1Request(eventID: eventID), correlationID: "c-\(eventID)", traceparent: nil))
            outcomes.append(try await client.send(F.api2Request, correlationID: "c-\(eventID)", traceparent: nil))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return outcomes
    }

    static func isSuccess(_ outcome: APIOutcome) -> Bool {
        if case .success = outcome { return true }
        return false
    }

    @Test func httpsGoesThroughTheProxyWithCONNECTAndNoProxyBypassesIt() async throws {
        let server = try await TLSSimulator.start()
        let proxy = try await TinyproxyProcess.start()

        let proxied = try await Self.sendBoth(server.settings(environment: ["HTTPS_PROXY": proxy.url()]), eventID: "proxied-1")
        #expect(proxied.allSatisfy(Self.isSuccess), "\(proxied)")
        let tunnels = proxy.connectRequests
        #expect(!tunnels.isEmpty, "the proxy's log shows no CONNECT:\n\(proxy.log)")
        #expect(tunnels.allSatisfy { $0.contains("CONNECT 127.0.0.1:\(server.relay.port) ") }, "\(tunnels)")
        #expect(server.simulator.accepted(.customerMetadata).count == 1)
        #expect(server.simulator.accepted(.externalParams).count == 1)

        // Lower-case forms, and NO_PROXY covering the host: straight to the API.
        let logBefore = proxy.log
        let direct = try await Self.sendBoth(
            server.settings(environment: ["https_proxy": proxy.url(), "no_proxy": "example.com, 127.0.0.1"]), eventID: "direct-1")
        #expect(direct.allSatisfy(Self.isSuccess), "\(direct)")
        #expect(proxy.log == logBefore, "the proxy saw traffic it should not have")
        #expect(server.simulator.accepted(.customerMetadata).count == 2)
        await proxy.stop()
        await server.stop()
    }

    @Test func proxyCredentialsComeFromTheURLAndARefusalIsAnOutage() async throws {
        let server = try await TLSSimulator.start()
        let proxy = try await TinyproxyProcess.start(basicAuth: (user: "bridge", password: "pr0xy-pa55"))

        let refused = try await Self.sendBoth(server.settings(environment: ["HTTPS_PROXY": proxy.url()]), eventID: "refused-1")
        for outcome in refused {
            let failure = outcome.expectFailure()
            #expect(failure?.kind == .outage, "a 407 opens the circuit: \(String(describing: failure))")
            #expect(failure?.code == "PROXY_AUTHENTICATION_REQUIRED")
        }
        let wrong = try await Self.sendBoth(
            server.settings(environment: ["HTTPS_PROXY": proxy.url(user: "bridge", password: "wr0ng-pa55")]), eventID: "refused-2")
        for outcome in wrong {
            let failure = outcome.expectFailure()
            #expect(failure?.kind == .outage)
            #expect(failure.map { !$0.message.contains("wr0ng-pa55") } ?? true, "the proxy password leaked: \(String(describing: failure))")
        }
        #expect(server.simulator.accepted(.customerMetadata).isEmpty)

        let accepted = try await Self.sendBoth(
            server.settings(environment: ["HTTPS_PROXY": proxy.url(user: "bridge", password: "pr0xy-pa55")]), eventID: "authorized-1")
        #expect(accepted.allSatisfy(Self.isSuccess), "\(accepted)")
        #expect(server.simulator.accepted(.customerMetadata).count == 1)
        await proxy.stop()
        await server.stop()
    }

    @Test func aProxyThatCannotBeReachedIsAnOutage() async throws {
        let server = try await TLSSimulator.start()
        let closedPort = try LoopbackPort.free()
        let outcomes = try await Self.sendBoth(
            server.settings(environment: ["HTTPS_PROXY": "http://127.0.0.1:\(closedPort)"]), eventID: "unreachable-1")
        for outcome in outcomes {
            let failure = outcome.expectFailure()
            #expect(failure?.kind == .outage, "\(String(describing: failure))")
            #expect(failure?.code == "PROXY_UNREACHABLE")
        }
        await server.stop()
    }

    @Test func aFailedCONNECTIsAnOutage() async throws {
        let server = try await TLSSimulator.start()
        let proxy = try await TinyproxyProcess.start()
        let closedPort = try LoopbackPort.free()
        let outcomes = try await Self.sendBoth(
            server.settings(environment: ["HTTPS_PROXY": proxy.url()], baseURL: "https://127.0.0.1:\(closedPort)"), eventID: "tunnel-1")
        for outcome in outcomes {
            let failure = outcome.expectFailure()
            #expect(failure?.kind == .outage, "\(String(describing: failure))")
            #expect(failure?.code == "PROXY_CONNECT_FAILED")
        }
        #expect(!proxy.connectRequests.isEmpty)
        await proxy.stop()
        await server.stop()
    }
}
