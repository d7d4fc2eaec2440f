import APISimulator
import CustomerAPIs
import Foundation
import Kafka
import Testing
import TestSupport
@testable import Bridge

/// `replay` over the mock cluster and the simulator.
@Suite(.serialized) struct DeadLetterReplayTests {
    /// Runs a bridge over 30 events of which 10 fail permanently (422) and 5 are rejected, and
    /// returns the harness with the bridge still running.
    private func deadLetteredHarness() async throws -> (BridgeHarness, RunningBridge) {
        let harness = try await BridgeHarness.start(partitions: 2)
        harness.simulator.addFault(.failFor(.seconds(3600), status: 422, api: .customerMetadata, matching: "perm-"))
        var records: [KafkaOutgoingRecord] = []
        for index in 0..<30 {
            let value: [UInt8] = switch index % 6 {
            case 0: TestEvents.customer(index)  // no customerId: rejected
            case 1, 2: TestEvents.customer(index, customerID: "c\(index)", userID: "perm-\(index)")
            default: TestEvents.customer(index, customerID: "c\(index)")
            }
            records.append(TestEvents.record(BridgeHarness.customerTopic, key: "k\(index)", value: value))
        }
        try await harness.produce(records)
        let bridge = await harness.startBridge()
        let replies = try await harness.read("bridge-replies", count: 30)
        #expect(replies.count == 30)
        let deadLetters = try await harness.read("bridge-dlq", count: 15)
        #expect(deadLetters.count == 15)
        return (harness, bridge)
    }

    private func replay(_ harness: BridgeHarness, _ configure: (inout ReplayOptions) -> Void = { _ in }) async throws -> ReplaySummary {
        var options = ReplayOptions()
        configure(&options)
        return try await DeadLetterReplay(settings: harness.settings, options: options, logger: harness.logger).run()
    }

    @Test func replayedEventsSucceedWithTheirOriginalEventIDs() async throws {
        let (harness, bridge) = try await deadLetteredHarness()
        harness.simulator.clearFaults()
        let summary = try await replay(harness) { $0.status = "failed" }
        #expect(summary.replayed == 10)
        #expect(summary.skipped[ReplayDecision.SkipReason.filtered.rawValue] == 5)
        #expect(summary.failedToPublish == 0)
        let replies = try await harness.read("bridge-replies", count: 40)
        try await bridge.stop()
        let failedIDs = Set((0..<30).filter { $0 % 6 == 1 || $0 % 6 == 2 }.map { "evt-\($0)" })
        let succeededIDs = Set(replies.filter { $0.json["status"] as? String == "succeeded" }.compactMap { $0.json["eventId"] as? String })
        #expect(replies.count == 40)
        #expect(failedIDs.isSubset(of: succeededIDs))
        // The replayed records carry their event id and a replay count on the source topic.
        let sourceRecords = try await harness.read(BridgeHarness.customerTopic, count: 40)
        let republished = sourceRecords.filter { $0.header("dlq.replay.count") == "1" }
        #expect(republished.count == 10)
        #expect(Set(republished.compactMap { $0.header("event-id") }) == failedIDs)
        #expect(republished.allSatisfy { record in !record.headers.contains { $0.name.hasPrefix("dlq.") && $0.name != "dlq.replay.count" } })
        await harness.close()
    }

    @Test func aSecondRunReplaysNothingNewAndFromBeginningFindsThemAgain() async throws {
        let (harness, bridge) = try await deadLetteredHarness()
        try await bridge.stop()
        let first = try await replay(harness)
        #expect(first.replayed == 15)
        let second = try await replay(harness)
        #expect(second.replayed == 0)
        #expect(second.skippedTotal == 0)
        let again = try await replay(harness) { $0.fromBeginning = true; $0.dryRun = true }
        #expect(again.replayed == 15)
        await harness.close()
    }

    @Test func filtersPickExactlyTheMatchingRecords() async throws {
        let (harness, bridge) = try await deadLetteredHarness()
        try await bridge.stop()
        let byCode = try await replay(harness) { $0.errorCodes = ["INVALID_EVENT"]; $0.dryRun = true }
        #expect(byCode.replayed == 5)
        let byStatus = try await replay(harness) { $0.status = "failed"; $0.dryRun = true }
        #expect(byStatus.replayed == 10)
        let none = try await replay(harness) { $0.status = "failed"; $0.errorCodes = ["INVALID_EVENT"]; $0.dryRun = true }
        #expect(none.replayed == 0)
        let future = try await replay(harness) { $0.since = "2999-01-01T00:00:00Z"; $0.dryRun = true }
        #expect(future.replayed == 0)
        let past = try await replay(harness) { $0.since = "2000-01-01T00:00:00Z"; $0.until = "2999-01-01T00:00:00Z"; $0.dryRun = true }
        #expect(past.replayed == 15)
        let limited = try await replay(harness) { $0.limit = 4 }
        #expect(limited.replayed == 4)
        await harness.close()
    }

    @Test func aDryRunWritesAndCommitsNothing() async throws {
        let (harness, bridge) = try await deadLetteredHarness()
        try await bridge.stop()
        let summary = try await replay(harness) { $0.dryRun = true }
        #expect(summary.replayed == 15)
        #expect(summary.lines(dryRun: true).contains { $0.contains("customer-events") })
        let source = try await harness.read(BridgeHarness.customerTopic, count: 31, timeout: .seconds(5))
        #expect(source.count == 30)
        // Nothing committed: a real run still finds all of them.
        let real = try await replay(harness)
        #expect(real.replayed == 15)
        await harness.close()
    }

    @Test func aRecordReplayedTooOftenIsSkipped() {
        let record = KafkaRecord(
            topic: "bridge-dlq", partition: 0, offset: 0, key: nil, value: Array("{}".utf8),
            headers: [
                KafkaHeader(name: "dlq.source.topic", value: Array("customer-events".utf8)),
                KafkaHeader(name: "dlq.replay.count", value: Array("3".utf8)),
            ],
            timestamp: nil)
        let filters = ReplayDecision.Filters(targetTopic: nil, errorCodes: [], status: nil, since: nil, until: nil, maxReplays: 3)
        #expect(ReplayDecision.decide(record, filters: filters).skipReason == .tooManyReplays)
        var lenient = filters
        lenient.maxReplays = 4
        guard case .replay(let outgoing) = ReplayDecision.decide(record, filters: lenient) else {
            Issue.record("expected a replay")
            return
        }
        #expect(outgoing.headers.filter { $0.name == "dlq.replay.count" }.map(\.value) == [Array("4".utf8)])
        var noSource = record
        noSource.headers = [KafkaHeader(name: "dlq.replay.count", value: Array("0".utf8))]
        #expect(ReplayDecision.decide(noSource, filters: filters).skipReason == .noSourceTopic)
        var redirected = filters
        redirected.targetTopic = "elsewhere"
        if case .replay(let moved) = ReplayDecision.decide(noSource, filters: redirected) {
            #expect(moved.topic == "elsewhere")
        } else {
            Issue.record("expected a replay to --to")
        }
    }

    @Test(arguments: [("3", 3), (" 3 ", 3), ("x", 0), ("", 0)])
    func theReplayCountIsReadWithOneTolerance(header: String, expected: Int) {
        let record = KafkaRecord(
            topic: "bridge-dlq", partition: 0, offset: 0, key: nil, value: nil,
            headers: [KafkaHeader(name: "dlq.replay.count", value: Array(header.utf8))], timestamp: nil)
        #expect(DeadLetterHeader.replayCount(of: record) == expected)
        var none = record
        none.headers = []
        #expect(DeadLetterHeader.replayCount(of: none) == 0)
    }
}

/// A replay process killed midway resumes where its committed position says.
@Suite(.serialized) struct DeadLetterReplayKillTests {
    @Test func aKilledReplayResumesWithoutLosingOrRepeatingMoreThanItsBatch() async throws {
        let harness = try await BridgeHarness.start(partitions: 2)
        let count = 3_000
        let letters = (0..<count).map { index in
            KafkaOutgoingRecord(
                topic: "bridge-dlq", key: Array("k\(index)".utf8), value: Array("{\"n\":\(index)}".utf8),
                headers: [
                    KafkaHeader(name: "dlq.source.topic", value: Array(BridgeHarness.customerTopic.utf8)),
                    KafkaHeader(name: "dlq.event.id", value: Array("dead-\(index)".utf8)),
                    KafkaHeader(name: "dlq.status", value: Array("failed".utf8)),
                    KafkaHeader(name: "dlq.error.code", value: Array("HTTP_422".utf8)),
                    KafkaHeader(name: "dlq.replay.count", value: Array("0".utf8)),
                ])
        }
        try await harness.produce(letters)
        // A slow broker makes each acknowledged batch take a while, so the kill lands midway.
        harness.cluster.setRoundTripTime(1, .milliseconds(150))
        let environment = [
            "KAFKA_BOOTSTRAP_SERVERS": harness.cluster.bootstrapServers,
            "BRIDGE_GROUP_ID": harness.settings.groupID,
            "BRIDGE_LOG_LEVEL": "error",
        ]
        let first = try ChildProcess.bridge(["replay"], environment: environment)
        // Kill it as soon as the replay group has committed a first position.
        var probeConfiguration = KafkaConsumerConfiguration(bootstrapServers: harness.cluster.bootstrapServers, groupID: harness.settings.groupID + "-replay")
        probeConfiguration.properties = ["enable.auto.commit": "false"]
        let probe = try KafkaConsumer(configuration: probeConfiguration, logger: harness.logger)
        let partitions = (0..<2).map { KafkaTopicPartition(topic: "bridge-dlq", partition: $0) }
        _ = try await eventually(within: .seconds(60)) {
            try await probe.committedOffsets(partitions, timeout: .seconds(5)).contains { $0.offset > 0 }
        }
        await first.kill9()
        await probe.close()
        let republishedBeforeKill = try await harness.read(BridgeHarness.customerTopic, count: .max, timeout: .seconds(8)).count
        #expect(republishedBeforeKill > 0 && republishedBeforeKill < count, "the kill should land midway: \(first.log.suffix(1000))")
        harness.cluster.setRoundTripTime(1, .zero)

        let second = try ChildProcess.bridge(["replay"], environment: environment)
        #expect(await second.waitForExit(timeout: .seconds(600)) == 0, "\(second.log.suffix(2000))")
        let republished = try await harness.read(BridgeHarness.customerTopic, count: .max, timeout: .seconds(8))
        var copies: [String: Int] = [:]
        for record in republished { copies[record.header("event-id") ?? "", default: 0] += 1 }
        #expect(copies.count == count, "every dead letter re-published")
        let repeated = republished.count - count
        #expect(repeated <= 2 * 500, "repeated \(repeated): at most the batch in flight per partition at the kill")
        #expect(republished.allSatisfy { $0.header("dlq.replay.count") == "1" })
        await harness.close()
    }
}
