import APISimulator
import CustomerAPIs
import Foundation
import Kafka
import Testing
@testable import Bridge

/// A token mounted as a file rotates while the bridge runs (docs/contract.md, "Secret rotation").
@Suite(.serialized) struct BridgeSecretRotationTests {
    @Test func aTokenFileRewrittenWhileTheAPIRotatesIsUsedWithoutARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rotation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenFile = folder.appendingPathComponent("token")
        let original = SimulatorCredentials.default
        try Data((original.token + "\n").utf8).write(to: tokenFile, options: .atomic)

        let harness = try await BridgeHarness.start(partitions: 1)
        // The settings as `run` loads them, with the token given as EXTERNAL_PARAMS_TOKEN_FILE.
        var settings = try BridgeSettings.load(flags: [:], environment: [
            "KAFKA_BOOTSTRAP_SERVERS": harness.cluster.bootstrapServers,
            "BRIDGE_GROUP_ID": harness.settings.groupID,
            "EXTERNAL_PARAMS_BASE_URL": harness.simulator.baseURL,
            "EXTERNAL_PARAMS_TOKEN_FILE": tokenFile.path,
            "ASAPP_BASE_URL": harness.simulator.baseURL,
            "BRIDGE_HTTP_PORT": "0",
        ], configFile: nil)
        settings.customerMetadata = harness.settings.customerMetadata
        settings.retryBase = harness.settings.retryBase
        settings.retryMax = harness.settings.retryMax
        settings.maxAttempts = harness.settings.maxAttempts
        settings.circuitProbe = .seconds(30)  // a circuit that opened would not close within the test
        settings.shutdownGrace = harness.settings.shutdownGrace
        settings.kafkaProperties = harness.settings.kafkaProperties

        let bridge = await harness.startBridge(settings: settings)
        try await harness.produce([TestEvents.record(BridgeHarness.entityTopic, key: "a", value: TestEvents.entity(1))])
        let first = try await harness.read("bridge-replies", count: 1)
        #expect(first.first?.json["status"] as? String == "succeeded")

        // The API rotates its token and the mounted file is rewritten in place.
        let rotated = SimulatorCredentials(apiId: original.apiId, apiSecret: original.apiSecret, token: "rotated-t0ken-4e1a")
        harness.simulator.rotateCredentials(rotated)
        try Data((rotated.token + "\n").utf8).write(to: tokenFile, options: .atomic)
        try await harness.produce([TestEvents.record(BridgeHarness.entityTopic, key: "b", value: TestEvents.entity(2))])
        let replies = try await harness.read("bridge-replies", count: 2, timeout: .seconds(20))
        let deadLetters = try await harness.read("bridge-dlq", count: 0)
        try await bridge.stop()

        let second = try #require(replies.first { $0.json["eventId"] as? String == "ent-2" }, "no reply for the event after the rotation")
        #expect(second.json["status"] as? String == "succeeded")
        #expect(second.json["attempts"] as? Int == 1)
        #expect(deadLetters.isEmpty)
        let stats = harness.simulator.stats()
        #expect(stats.count(.externalParams, status: 401) <= 1, "at most one extra attempt")
        #expect(stats.count(.externalParams, status: 200) == 2)
        await harness.close()
    }
}
