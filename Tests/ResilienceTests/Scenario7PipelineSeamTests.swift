import Foundation
import Kafka
import Testing
import TestSupport

extension ResilienceScenarios {
    /// Scenario 7a: a record over BRIDGE_MAX_EVENT_BYTES whose dead letter is too large for the
    /// producer (1.5 MiB), and a tombstone. Each gets one rejected reply and one dead letter (the
    /// large one written without its value, `dlq.value.omitted`); the partition's offsets move
    /// past them, so a clean restart redoes nothing.
    @Test func scenario7OversizedRecordAndTombstoneAreDeadLetteredOnce() async throws {
        let rig = try await ResilienceRig.start(partitions: 2)
        let ledger = try ReplyLedger(rig: rig)
        let bigLength = 1_572_864
        let big = KafkaOutgoingRecord(
            topic: ResilienceRig.customerTopic, key: Array("big".utf8),
            value: Array(#"{"conversationId":"big","customerId":"c","status":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: bigLength - 50) + Array(#""}"#.utf8))
        let tombstone = KafkaOutgoingRecord(topic: ResilienceRig.customerTopic, key: Array("tombstone".utf8), value: nil)
        var records = (0..<40).map { ResilienceEvents.customer($0) }
        records.insert(big, at: 10)
        records.insert(tombstone, at: 25)
        let sources = try await rig.produce(records)
        let bigSource = sources[10], tombstoneSource = sources[25]
        let group = Self.group("oversized")
        let settings = Self.quickRetries.merging(["KAFKA_AUTO_COMMIT_INTERVAL_MS": "200"]) { $1 }

        let first = try rig.startBridge(group: group, settings)
        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(60))
        await ledger.wait(timeout: .seconds(30)) { $0.snapshot.deadLetterCount >= 2 }
        first.send(SIGTERM)
        let firstExit = await first.waitForExit(timeout: .seconds(15))
        let before = ledger.snapshot

        // A restart with the same group, and one more event: once that is answered, anything
        // left uncommitted would have been redone too.
        let second = try rig.startBridge(group: group, settings)
        let marker = try await rig.produce([ResilienceEvents.customer(1_000)])
        let markerAnswered = await ledger.waitForAll(Set(marker), timeout: .seconds(60), quiet: .seconds(3))
        let after = ledger.snapshot
        second.send(SIGTERM)
        let secondExit = await second.waitForExit(timeout: .seconds(15))

        let tally = ScenarioTally(number: 7, name: "1.5 MiB record and tombstone", sources: sources, book: after)
        tally.print()
        let bigLetters = after.deadLetters[bigSource] ?? [], tombstoneLetters = after.deadLetters[tombstoneSource] ?? []
        report("scenario 7a detail: big record replies \(after.replies[bigSource]?.map(\.status) ?? []), dead letters \(bigLetters.map { "\($0.errorCode) omitted=\($0.valueOmitted) bytes=\($0.valueBytes.map(String.init) ?? "-") length=\($0.length.map(String.init) ?? "nil")" }); tombstone replies \(after.replies[tombstoneSource]?.map { $0.errorCode ?? "" } ?? []), dead letters \(tombstoneLetters.map(\.errorCode)); first exit \(firstExit.map(String.init) ?? "none"); replies before/after restart \(before.replyCount)/\(after.replyCount)")

        #expect(complete, "not every event was answered: \(first.log.suffix(2000))")
        #expect(after.replies[bigSource]?.map(\.status) == ["rejected"])
        #expect(after.replies[bigSource]?.first?.errorCode == "EVENT_TOO_LARGE")
        #expect(bigLetters.count == 1)
        #expect(bigLetters.first?.valueOmitted == true, "the large dead letter was not written without its value")
        #expect(bigLetters.first?.valueBytes == big.value?.count)
        #expect(bigLetters.first?.length == 0)
        #expect(after.replies[tombstoneSource]?.map(\.status) == ["rejected"])
        #expect(after.replies[tombstoneSource]?.first?.errorCode == "INVALID_EVENT")
        #expect(tombstoneLetters.map(\.errorCode) == ["INVALID_EVENT"])
        #expect(tombstoneLetters.first?.valueOmitted == false)
        #expect(after.deadLetterCount == 2)
        #expect(firstExit == 0, "the first bridge did not stop cleanly: \(first.log.suffix(2000))")
        #expect(markerAnswered, "the restarted bridge answered nothing: \(second.log.suffix(2000))")
        #expect(after.replyCount == before.replyCount + 1, "the restart redid \(after.replyCount - before.replyCount - 1) events")
        #expect(tally.duplicates == 0)
        #expect(secondExit == 0)
        await ledger.close()
        await first.ensureStopped()
        await second.ensureStopped()
        await rig.stop()
    }

    /// Scenario 7b: one partition of the reply topic has no leader for 20 s (longer than the
    /// producer's 15 s message timeout) while events keep coming: the replies of events whose
    /// replies go to other partitions keep coming, and afterwards every event is answered once.
    @Test func scenario7ReplyPartitionWithoutALeaderHoldsUpOnlyItsOwnReplies() async throws {
        let rig = try await ResilienceRig.startWithClusterInProcess(partitions: 4)
        let cluster = try #require(rig.cluster)
        let ledger = try ReplyLedger(rig: rig)
        let bridge = try rig.startBridge(group: Self.group("leaderless"), Self.quickRetries.merging(["KAFKA_AUTO_COMMIT_INTERVAL_MS": "200"]) { $1 })
        let warmUp = try await rig.produce((0..<200).map { ResilienceEvents.customer($0) })
        let warm = await ledger.waitForAll(Set(warmUp), timeout: .seconds(60), quiet: .seconds(1))

        try cluster.setPartitionLeader(topic: ResilienceRig.replyTopic, partition: 0, broker: nil)
        let outageStart = ContinuousClock.now
        var waves: [[SourcePosition]] = []
        for wave in 0..<8 {
            waves.append(try await rig.produce((0..<200).map { ResilienceEvents.customer(1_000 + wave * 200 + $0) }))
            try await Task.sleep(for: .seconds(2))
        }
        try await Task.sleep(until: outageStart + .seconds(20), clock: .continuous)
        // Answered before the leader is back: a wave's events whose replies go to partitions 1–3.
        let answeredDuring = waves.map { ledger.answered(Set($0)) }
        try cluster.setPartitionLeader(topic: ResilienceRig.replyTopic, partition: 0, broker: 1)

        let sources = warmUp + waves.flatMap { $0 }
        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(120))
        let tally = ScenarioTally(number: 7, name: "reply partition without a leader for 20 s", sources: sources, book: ledger.snapshot)
        tally.print()
        report("scenario 7b detail: of each wave of 200, answered before the leader came back: \(answeredDuring)")
        bridge.send(SIGTERM)
        let exit = await bridge.waitForExit(timeout: .seconds(20))

        #expect(warm)
        // About three quarters of each wave go to the other partitions; the last waves too.
        #expect(answeredDuring.allSatisfy { $0 >= 100 }, "replies of other partitions were held up: \(answeredDuring)")
        #expect(complete, "not every event was answered: \(bridge.log.suffix(2000))")
        #expect(tally.lost == 0)
        #expect(tally.deadLetters == 0)
        #expect(tally.unreadable == 0)
        #expect(bridge.log.contains("failed; retrying"), "the stuck replies never timed out and were sent again")
        #expect(exit == 0, "the bridge did not stop cleanly: \(bridge.log.suffix(2000))")
        await ledger.close()
        await bridge.ensureStopped()
        await rig.stop()
    }

    /// Scenario 7c: SIGTERM while API 1's circuit is open (it answers 401) and 200 events wait
    /// for it: the bridge exits 0 within the grace plus 5 s, and sends nothing for them.
    @Test func scenario7SigtermWithAnOpenCircuitEndsWithinTheGrace() async throws {
        let grace = 10
        let rig = try await ResilienceRig.start(partitions: 4)
        let ledger = try ReplyLedger(rig: rig)
        try await rig.control("POST", "/_control/faults", json: #"{"type":"failFor","seconds":3600,"status":401,"api":"customer-metadata"}"#)
        let sources = try await rig.produce((0..<200).map { ResilienceEvents.customer($0) })
        let bridge = try rig.startBridge(group: Self.group("sigterm-circuit"), Self.quickRetries.merging(["BRIDGE_SHUTDOWN_GRACE_S": String(grace)]) { $1 })
        _ = try await bridge.value(after: "circuit", timeout: .seconds(60))
        try await Task.sleep(for: .seconds(2))
        let signalled = ContinuousClock.now
        bridge.send(SIGTERM)
        let exit = await bridge.waitForExit(timeout: .seconds(grace + 20))
        let took = ContinuousClock.now - signalled
        await ledger.settle(quiet: .seconds(1))
        let book = ledger.snapshot
        report("scenario 7c detail: open circuit, 200 waiting: exit \(exit.map(String.init) ?? "none") after \(took) (grace \(grace) s), replies \(book.replyCount), dead letters \(book.deadLetterCount)")

        #expect(exit == 0, "the bridge did not exit 0: \(bridge.log.suffix(2000))")
        #expect(took < .seconds(grace + 5), "the stop took \(took)")
        #expect(ledger.answered(Set(sources)) == 0, "an event was answered while the API refused everyone")
        #expect(book.deadLetterCount == 0)
        await ledger.close()
        await bridge.ensureStopped()
        await rig.stop()
    }

    /// Scenario 7d: SIGTERM while no reply can be written (every reply partition without a
    /// leader): the bridge exits 0 within the grace plus 5 s; once the partitions have leaders
    /// again, a restart answers every event.
    @Test func scenario7SigtermDuringAReplyPathOutageEndsWithinTheGrace() async throws {
        let grace = 10
        let rig = try await ResilienceRig.startWithClusterInProcess(partitions: 2)
        let cluster = try #require(rig.cluster)
        let ledger = try ReplyLedger(rig: rig)
        let group = Self.group("sigterm-replies")
        let settings = Self.quickRetries.merging(["BRIDGE_SHUTDOWN_GRACE_S": String(grace), "KAFKA_AUTO_COMMIT_INTERVAL_MS": "200"]) { $1 }
        let first = try rig.startBridge(group: group, settings)
        let warmUp = try await rig.produce((0..<20).map { ResilienceEvents.customer($0) })
        let warm = await ledger.waitForAll(Set(warmUp), timeout: .seconds(60), quiet: .seconds(1))
        for partition in 0..<rig.partitions {
            try cluster.setPartitionLeader(topic: ResilienceRig.replyTopic, partition: partition, broker: nil)
        }
        let stuck = try await rig.produce((0..<200).map { ResilienceEvents.customer(1_000 + $0) })
        try await Task.sleep(for: .seconds(3))
        let signalled = ContinuousClock.now
        first.send(SIGTERM)
        let exit = await first.waitForExit(timeout: .seconds(grace + 40))
        let took = ContinuousClock.now - signalled
        report("scenario 7d detail: reply path down, \(stuck.count) events: exit \(exit.map(String.init) ?? "none") after \(took) (grace \(grace) s)")

        for partition in 0..<rig.partitions {
            try cluster.setPartitionLeader(topic: ResilienceRig.replyTopic, partition: partition, broker: 1)
        }
        let second = try rig.startBridge(group: group, settings)
        let sources = warmUp + stuck
        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(90))
        let tally = ScenarioTally(number: 7, name: "SIGTERM during a reply-path outage", sources: sources, book: ledger.snapshot)
        tally.print()
        second.send(SIGTERM)
        let secondExit = await second.waitForExit(timeout: .seconds(20))

        #expect(warm)
        #expect(exit == 0, "the bridge did not exit 0: \(first.log.suffix(2000))")
        #expect(took < .seconds(grace + 5), "the stop took \(took)")
        #expect(complete, "not every event was answered after the restart: \(second.log.suffix(2000))")
        #expect(tally.lost == 0)
        #expect(tally.deadLetters == 0)
        #expect(secondExit == 0)
        await ledger.close()
        await first.ensureStopped()
        await second.ensureStopped()
        await rig.stop()
    }

    /// Scenario 7e: 256 events of 900 KiB (4 per partition over 64 partitions; each is rejected
    /// and dead-lettered with its value) drained with default settings: the bridge's peak RSS
    /// (VmHWM) stays under 160 MiB. With the Kafka layer's record buffer bounded by count only
    /// (1,024 records whatever their size) this run peaked at 333 MiB.
    @Test func scenario7LargeEventsKeepMemoryBounded() async throws {
        let rig = try await ResilienceRig.start(partitions: 64)
        let ledger = try ReplyLedger(rig: rig)
        let padding = String(repeating: "p", count: 900 * 1024 - 80)
        let records = (0..<256).map { index in
            KafkaOutgoingRecord(
                topic: ResilienceRig.customerTopic, partition: Int32(index % 64), key: Array("large-\(index)".utf8),
                value: Array(#"{"conversationId":"large-\#(index)","customerId":"c","status":"\#(padding)"}"#.utf8))
        }
        let sources = try await rig.produce(records)
        let bridge = try rig.startBridge(group: Self.group("large-events"))
        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(180))
        let peak = Self.peakResidentKiB(of: bridge.pid)
        let tally = ScenarioTally(number: 7, name: "256 events of 900 KiB", sources: sources, book: ledger.snapshot)
        tally.print()
        report("scenario 7e detail: peak RSS (VmHWM) of the bridge \(peak.map { "\($0 / 1024) MiB (\($0) KiB)" } ?? "unknown")")
        bridge.send(SIGTERM)
        let exit = await bridge.waitForExit(timeout: .seconds(40))

        #expect(complete, "not every event was answered: \(bridge.log.suffix(2000))")
        #expect(tally.lost == 0)
        let peakKiB = try #require(peak)
        #expect(peakKiB < 160 * 1024, "peak RSS \(peakKiB / 1024) MiB")
        #expect(exit == 0, "the bridge did not stop cleanly: \(bridge.log.suffix(2000))")
        await ledger.close()
        await bridge.ensureStopped()
        await rig.stop()
    }

    /// `VmHWM` of `/proc/<pid>/status`, in KiB.
    static func peakResidentKiB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }
}
