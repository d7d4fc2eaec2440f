import APISimulator
import CustomerAPIs
import Foundation
import Kafka
import TestSupport
import Testing
@testable import Bridge

/// A secret given in the settings never leaves the process except in the request that needs it.
@Suite(.serialized) struct BridgeSecretTests {
    @Test func secretsAppearInNoLogLineReplyOrHeader() async throws {
        let apiSecret = "s3cret-asapp-7f3a9c"
        let token = "t0ken-bearer-19d2e4"
        let saslPassword = "kafka-pa55-0b8e77"
        let capture = LogCapture()
        let credentials = SimulatorCredentials(apiId: "bridge-id", apiSecret: apiSecret, token: token)
        let harness = try await BridgeHarness.start(partitions: 1, logger: capture.logger(), credentials: credentials) { settings in
            settings.kafkaProperties["sasl.password"] = saslPassword
            settings.secretKafkaPropertyNames.insert("sasl.password")
            settings.circuitProbe = .milliseconds(200)
        }
        // A 401 (outage), a 422 and a rejected event make the bridge log its failures.
        harness.simulator.addFault(.failNext(1, status: 401, api: .customerMetadata))
        harness.simulator.addFault(.failNext(1, status: 422, api: .externalParams))
        try await harness.produce([
            TestEvents.record(BridgeHarness.customerTopic, key: "a", value: TestEvents.customer(1, customerID: "c1")),
            TestEvents.record(BridgeHarness.entityTopic, key: "b", value: TestEvents.entity(2)),
            TestEvents.record(BridgeHarness.customerTopic, key: "c", value: Array("{".utf8)),
            TestEvents.record(BridgeHarness.entityTopic, key: "d", value: TestEvents.entity(3)),
        ])
        let bridge = await harness.startBridge()
        let replies = try await harness.read("bridge-replies", count: 4)
        let deadLetters = try await harness.read("bridge-dlq", count: 2)
        try await bridge.stop()
        #expect(replies.count == 4)
        #expect(deadLetters.count == 2)
        // The simulator saw the real credentials, so they were sent where they belong.
        #expect(harness.simulator.accepted(.customerMetadata).count == 1)

        var texts = capture.all
        texts += harness.settings.maskedLines()
        for record in replies + deadLetters {
            texts.append(String(decoding: record.value ?? [], as: UTF8.self))
            texts += record.headers.map { "\($0.name)=\(String(decoding: $0.value ?? [], as: UTF8.self))" }
        }
        #expect(!capture.all.isEmpty)
        for secret in [apiSecret, token, saslPassword] {
            let leaks = texts.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "secret leaked: \(leaks.prefix(3))")
        }
        await harness.close()
    }
}
