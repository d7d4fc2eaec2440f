import APISimulator
import Foundation
import Logging
import Testing
@testable import CustomerAPIs

/// A secret given as a file (`NAME_FILE`) rotates without a restart: read again when the file
/// changes and when the API answers 401/403, with one immediate retry on a changed secret.
@Suite struct ClientSecretRotationTests {
    typealias F = ClientFixtures
    static let original = SimulatorCredentials.default
    static let rotated = SimulatorCredentials(apiId: original.apiId, apiSecret: "rotated-secret-5d1f", token: "rotated-token-8c2e")

    /// A temporary folder holding the secret files.
    struct Files {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        func write(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            return url.path
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// A client whose API 1 secret and API 2 token are read from files, as the bridge configures
    /// it for `ASAPP_API_SECRET_FILE` and `EXTERNAL_PARAMS_TOKEN_FILE`.
    static func client(baseURL: String, secretFile: String, tokenFile: String) throws -> APIClient {
        try APIClient(settings: APIClientSettings(
            customerMetadata: APIEndpoint(
                baseURL: baseURL, credentials: .apiKey(id: original.apiId, secret: Secret(original.apiSecret)), secretFile: secretFile),
            externalParams: APIEndpoint(baseURL: baseURL, credentials: .bearer(Secret(original.token)), secretFile: tokenFile),
            timeout: .seconds(5)))
    }

    static func simulator() async throws -> APISimulator {
        var logger = Logger(label: "api-simulator")
        logger.logLevel = .critical
        let simulator = APISimulator(credentials: original, logger: logger)
        _ = try await simulator.start()
        return simulator
    }

    static func api1Request(eventID: String) -> APIRequest {
        APIRequest(
            kind: .customerMetadata, path: F.api1Path,
            body: Array(#"{"externalConversationId":"issue509","externalCustomerId":"555.555.0100-jdoe@example.com","eventId":"\#(eventID)"}"#.utf8))
    }

    static func isSuccess(_ outcome: APIOutcome) -> Bool {
        if case .success = outcome { return true }
        return false
    }

    @Test func aSecretRotatedInPlaceIsUsedAtOnceWithOneRetryAfterThe401() async throws {
        let files = try Files()
        defer { files.remove() }
        let secretFile = try files.write("asapp-secret", Self.original.apiSecret + "\n")
        let tokenFile = try files.write("token", Self.original.token + "\n")
        let simulator = try await Self.simulator()
        let client = try Self.client(baseURL: simulator.baseURL, secretFile: secretFile, tokenFile: tokenFile)

        #expect(Self.isSuccess(try await client.send(Self.api1Request(eventID: "rot-1"), correlationID: "c-1", traceparent: nil)))
        #expect(Self.isSuccess(try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil)))

        // The API rotates the credentials and the mounted files change: the very next requests
        // succeed, each after at most one refused attempt.
        simulator.rotateCredentials(Self.rotated)
        _ = try files.write("asapp-secret", Self.rotated.apiSecret + "\n")
        _ = try files.write("token", Self.rotated.token + "\n")
        let api1 = try await client.send(Self.api1Request(eventID: "rot-2"), correlationID: "c-2", traceparent: nil)
        let api2 = try await client.send(F.api2Request, correlationID: "c-2", traceparent: nil)
        #expect(Self.isSuccess(api1), "\(api1)")
        #expect(Self.isSuccess(api2), "\(api2)")
        let stats = simulator.stats()
        #expect(stats.count(.customerMetadata, status: 401) <= 1)
        #expect(stats.count(.externalParams, status: 401) <= 1)
        #expect(stats.answered(.customerMetadata) <= 3 && stats.answered(.externalParams) <= 3)

        try await client.shutdown()
        await simulator.stop()
    }

    @Test func aChangedFileIsPickedUpBeforeAnyRefusal() async throws {
        let files = try Files()
        defer { files.remove() }
        let secretFile = try files.write("asapp-secret", Self.original.apiSecret)
        let tokenFile = try files.write("token", Self.original.token)
        let simulator = try await Self.simulator()
        let client = try Self.client(baseURL: simulator.baseURL, secretFile: secretFile, tokenFile: tokenFile)
        #expect(Self.isSuccess(try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil)))

        _ = try files.write("token", Self.rotated.token)
        simulator.rotateCredentials(Self.rotated)
        try await Task.sleep(for: .milliseconds(1_100))  // past the client's one look per second at the file
        #expect(Self.isSuccess(try await client.send(F.api2Request, correlationID: "c-2", traceparent: nil)))
        #expect(simulator.stats().count(.externalParams, status: 401) == 0, "the new token was sent first")

        try await client.shutdown()
        await simulator.stop()
    }

    @Test func aNewSecretThatIsRefusedTooIsAnOutageAfterOneRetry() async throws {
        let files = try Files()
        defer { files.remove() }
        let secretFile = try files.write("asapp-secret", Self.original.apiSecret)
        let tokenFile = try files.write("token", Self.original.token)
        let simulator = try await Self.simulator()
        let client = try Self.client(baseURL: simulator.baseURL, secretFile: secretFile, tokenFile: tokenFile)

        simulator.rotateCredentials(Self.rotated)
        _ = try files.write("token", "not-the-rotated-token")
        let outcome = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil)
        let failure = outcome.expectFailure()
        #expect(failure?.kind == .outage)
        #expect(failure?.httpStatus == 401)
        #expect(simulator.stats().count(.externalParams, status: 401) == 2, "the refused request and one retry with the new token")

        // Nothing changed since: a refusal is final at once.
        _ = try await client.send(F.api2Request, correlationID: "c-2", traceparent: nil)
        #expect(simulator.stats().count(.externalParams, status: 401) == 3)

        try await client.shutdown()
        await simulator.stop()
    }

    @Test func aSecretGivenAsAValueIsNeverRetried() async throws {
        let simulator = try await Self.simulator()
        let client = try APIClient(settings: APIClientSettings(
            customerMetadata: nil,
            externalParams: APIEndpoint(baseURL: simulator.baseURL, credentials: .bearer(Secret(Self.original.token))),
            timeout: .seconds(5)))
        simulator.rotateCredentials(Self.rotated)
        let failure = try await client.send(F.api2Request, correlationID: "c-1", traceparent: nil).expectFailure()
        #expect(failure?.kind == .outage)
        #expect(simulator.stats().count(.externalParams, status: 401) == 1)
        try await client.shutdown()
        await simulator.stop()
    }
}

/// ``SecretFile`` on its own: generations, the look at most once per interval, unreadable files.
@Suite struct SecretFileTests {
    @Test func aDifferentContentGetsANewGenerationAndTheSameDoesNot() throws {
        let files = try ClientSecretRotationTests.Files()
        defer { files.remove() }
        let path = try files.write("s", "one\n")
        let file = try SecretFile(path: path, variable: "X_FILE", checkInterval: .seconds(3600))
        #expect(file.current() == SecretFile.Value(secret: Secret("one"), generation: 0))
        _ = try files.write("s", "two")
        #expect(file.current().generation == 0, "not looked at again within the interval")
        #expect(file.reload() == SecretFile.Value(secret: Secret("two"), generation: 1))
        _ = try files.write("s", "two\n")
        #expect(file.reload().generation == 1, "the same secret keeps its generation")
        #expect(file.current(now: .now + .seconds(7200)).secret == Secret("two"))
    }

    @Test func aFileThatDisappearsKeepsTheLastSecret() throws {
        let files = try ClientSecretRotationTests.Files()
        let path = try files.write("s", "kept")
        let file = try SecretFile(path: path, variable: "X_FILE", checkInterval: .zero)
        files.remove()
        #expect(file.current() == SecretFile.Value(secret: Secret("kept"), generation: 0))
        #expect(file.reload().secret == Secret("kept"))
    }

    @Test func anUnreadableFileFailsAtStartUpNamingTheVariable() {
        #expect(throws: SecretLoadingError(name: "X_FILE", reason: "cannot read the file /nonexistent/secret")) {
            try SecretFile(path: "/nonexistent/secret", variable: "X_FILE")
        }
    }
}
