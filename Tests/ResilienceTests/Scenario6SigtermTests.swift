import Foundation
import Testing
import TestSupport

extension ResilienceScenarios {
    /// Scenario 6: SIGTERM under load. The bridge stops fetching, finishes what is in flight,
    /// commits and exits 0 within BRIDGE_SHUTDOWN_GRACE_S; a restart redoes nothing it had answered.
    @Test func scenario6SigtermUnderLoad() async throws {
        let count = Self.eventCount("sigterm", default: 20_000)
        let grace = 10
        let rig = try await ResilienceRig.start(partitions: 8)
        let ledger = try ReplyLedger(rig: rig)
        let sources = try await rig.produce(ResilienceEvents.mixed(count))
        // 20 ms per request: a full in-flight window at the moment of the signal.
        try await rig.control("POST", "/_control/latency", json: #"{"milliseconds":20}"#)
        let group = Self.group("sigterm")
        let settings = Self.quickRetries.merging([
            "BRIDGE_SHUTDOWN_GRACE_S": String(grace), "KAFKA_AUTO_COMMIT_INTERVAL_MS": "5000",
        ]) { $1 }
        let first = try rig.startBridge(group: group, settings)
        await ledger.wait(timeout: .seconds(120)) { $0.replyCount >= count / 4 }
        let signalled = ContinuousClock.now
        first.send(SIGTERM)
        let exit = await first.waitForExit(timeout: .seconds(grace + 5))
        let took = ContinuousClock.now - signalled
        await ledger.settle(quiet: .seconds(2))
        let beforeRestart = ledger.snapshot

        let second = try rig.startBridge(group: group, settings)
        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(240))
        let book = ledger.snapshot
        let tally = ScenarioTally(number: 6, name: "SIGTERM under load and restart", sources: sources, book: book)
        tally.print()
        report("scenario 6 detail: exit \(exit.map(String.init) ?? "none") after \(took) (grace \(grace) s), answered before the restart \(beforeRestart.replyCount)")
        second.send(SIGTERM)
        let secondExit = await second.waitForExit(timeout: .seconds(30))

        let redone = beforeRestart.replies.keys.filter { (book.replies[$0]?.count ?? 0) > 1 }
        #expect(exit == 0, "the bridge did not exit 0 within the grace period: \(first.log.suffix(2000))")
        #expect(took < .seconds(grace + 1))
        #expect(beforeRestart.replyCount < count, "the signal came after the stream ended")
        #expect(redone.isEmpty, "the restart redid \(redone.count) answered events, e.g. \(redone.prefix(3))")
        #expect(complete, "not every event was answered: \(second.log.suffix(2000))")
        #expect(tally.lost == 0)
        #expect(tally.duplicates == 0)
        #expect(tally.deadLetters == 0)
        #expect(tally.unreadable == 0)
        #expect(secondExit == 0)
        await ledger.close()
        await first.ensureStopped()
        await second.ensureStopped()
        await rig.stop()
    }
}
