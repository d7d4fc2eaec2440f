import Foundation
import Testing
import TestSupport

extension ResilienceScenarios {
    /// Scenario 4: both APIs answer 503 to everything for 30 seconds mid-stream. The circuits
    /// open, the backlog waits in Kafka, probes find the APIs back: no dead letters, and every
    /// event succeeds afterwards.
    @Test func scenario4APIsAnswer503ForThirtySeconds() async throws {
        let count = Self.eventCount("outage", default: 10_000)
        let rig = try await ResilienceRig.start(partitions: 8)
        let ledger = try ReplyLedger(rig: rig)
        let sources = try await rig.produce(ResilienceEvents.mixed(count, entityEvery: 2))
        try await rig.control("POST", "/_control/latency", json: #"{"milliseconds":2}"#)
        let bridge = try rig.startBridge(group: Self.group("outage"), Self.quickRetries)
        await ledger.wait(timeout: .seconds(120)) { $0.replyCount >= count / 10 }
        let status = try await rig.control("POST", "/_control/faults", json: #"{"type":"failFor","seconds":30,"status":503}"#)
        let outageStart = ledger.replyCount
        try await Task.sleep(for: .seconds(25))
        let duringOutage = ledger.replyCount - outageStart

        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(180))
        let book = ledger.snapshot
        let tally = ScenarioTally(number: 4, name: "APIs answer 503 for 30 s", sources: sources, book: book)
        tally.print()
        let failed = sources.filter { source in book.replies[source]?.contains { $0.status != "succeeded" } ?? false }
        bridge.send(SIGTERM)
        let exit = await bridge.waitForExit(timeout: .seconds(30))

        #expect(status == 200)
        #expect(complete, "not every event was answered: \(bridge.log.suffix(2000))")
        #expect(tally.lost == 0)
        #expect(tally.deadLetters == 0 && book.deadLetterCount == 0, "an outage must not dead-letter anything")
        let failedLines = bridge.log.split(separator: "\n").filter { $0.contains("circuit") || $0.contains("\"status\":\"failed\"") }
        #expect(failed.isEmpty, "\(failed.count) events did not succeed, e.g. \(failed.prefix(3)); the bridge said: \(failedLines.suffix(20).joined(separator: "\n"))")
        #expect(duringOutage < count / 2, "the outage did not hold the stream back")
        #expect(tally.unreadable == 0)
        #expect(exit == 0, "the bridge did not stop cleanly: \(bridge.log.suffix(2000))")
        await ledger.close()
        await bridge.ensureStopped()
        await rig.stop()
    }
}
