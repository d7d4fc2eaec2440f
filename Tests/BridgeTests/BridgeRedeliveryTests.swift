import APISimulator
import Foundation
import Kafka
import Testing
import TestSupport
@testable import Bridge

/// At least once across a crash: a bridge process killed without committing is redone by the next
/// one, and the replies of redone events carry the same event ids.
@Suite(.serialized) struct BridgeRedeliveryTests {
    private func environment(_ harness: BridgeHarness, group: String, commitInterval: Int) -> [String: String] {
        [
            "KAFKA_BOOTSTRAP_SERVERS": harness.cluster.bootstrapServers,
            "BRIDGE_GROUP_ID": group,
            "ASAPP_BASE_URL": harness.simulator.baseURL,
            "ASAPP_API_ID": SimulatorCredentials.default.apiId,
            "ASAPP_API_SECRET": SimulatorCredentials.default.apiSecret,
            "EXTERNAL_PARAMS_BASE_URL": harness.simulator.baseURL,
            "EXTERNAL_PARAMS_TOKEN": SimulatorCredentials.default.token,
            "BRIDGE_HTTP_PORT": "0",
            "BRIDGE_MAX_IN_FLIGHT": "16",
            "BRIDGE_LOG_LEVEL": "warning",
            "KAFKA_SESSION_TIMEOUT_MS": "6000",
            "KAFKA_FETCH_WAIT_MAX_MS": "20",
            "KAFKA_AUTO_COMMIT_INTERVAL_MS": String(commitInterval),
        ]
    }

    @Test func aKilledBridgeIsRedoneWithTheSameEventIDs() async throws {
        let harness = try await BridgeHarness.start(partitions: 2)
        harness.simulator.setLatency(.milliseconds(40))
        // Events without an eventId: their ids derive from topic, partition and offset.
        let events = (0..<1_000).map { index in
            TestEvents.record(
                BridgeHarness.customerTopic, key: "key-\(index % 50)",
                value: Array(#"{"conversationId":"conv-\#(index)","customerId":"cust-\#(index)"}"#.utf8))
        }
        try await harness.produce(events)
        let group = "redelivery-\(UInt32.random(in: 0...UInt32.max))"

        // The first bridge never commits (a long auto-commit interval) and is killed mid-stream.
        let first = try ChildProcess.bridge(["run"], environment: environment(harness, group: group, commitInterval: 600_000))
        _ = await eventually(within: .seconds(60), every: .milliseconds(50)) {
            harness.simulator.accepted(.customerMetadata).count >= 200
        }
        await first.kill9()
        // Everything the killed bridge managed to write (reading until nothing more comes).
        let before = try await harness.read("bridge-replies", count: .max, timeout: .seconds(8))
        #expect(before.count > 100, "the first bridge wrote too few replies: \(first.log.suffix(2000))")

        let second = try ChildProcess.bridge(["run"], environment: environment(harness, group: group, commitInterval: 200))
        let replies = try await harness.read("bridge-replies", count: before.count + events.count, timeout: .seconds(120))
        #expect(await second.terminate() == 0, "the second bridge did not stop cleanly: \(second.log.suffix(2000))")

        var idsBySource: [String: Set<String>] = [:]
        for reply in replies {
            let json = reply.json
            guard let source = json["source"] as? [String: Any], let eventID = json["eventId"] as? String else { continue }
            idsBySource["\(source["partition"] ?? "")/\(source["offset"] ?? "")", default: []].insert(eventID)
            #expect(json["status"] as? String == "succeeded")
            #expect(eventID.hasPrefix("kab-"))
        }
        #expect(idsBySource.count == events.count, "every event has a reply")
        #expect(idsBySource.values.allSatisfy { $0.count == 1 }, "a redone event keeps its event id")
        #expect(replies.count > events.count, "the killed bridge's uncommitted events were redone")
        await harness.close()
    }
}
