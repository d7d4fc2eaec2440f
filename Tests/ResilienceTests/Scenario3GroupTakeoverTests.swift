import Foundation
import Testing
import TestSupport

extension ResilienceScenarios {
    /// Scenario 3: three bridges in one group; one is killed mid-stream and the other two take
    /// over its partitions once its session times out (the mock rebalances after
    /// session.timeout.ms − 1 s): nothing is lost.
    @Test func scenario3ThreeInstancesOneKilled() async throws {
        let count = Self.eventCount("group", default: 30_000)
        let rig = try await ResilienceRig.start(partitions: 12)
        let ledger = try ReplyLedger(rig: rig)
        let sources = try await rig.produce(ResilienceEvents.mixed(count))
        let group = Self.group("group")
        // 2 ms per request keeps the stream going while the group forms.
        try await rig.control("POST", "/_control/latency", json: #"{"milliseconds":2}"#)
        let settings = Self.quickRetries.merging(["KAFKA_AUTO_COMMIT_INTERVAL_MS": "500", "BRIDGE_MAX_IN_FLIGHT": "64"]) { $1 }
        let bridges = try (0..<3).map { _ in try rig.startBridge(group: group, settings) }
        let victim = bridges[1]
        await ledger.wait(timeout: .seconds(120)) { $0.replyCount >= count / 3 }
        let victimReplied = victim.process.isRunning
        await victim.kill9()

        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(240))
        let tally = ScenarioTally(number: 3, name: "three instances, one killed", sources: sources, book: ledger.snapshot)
        tally.print()
        var exits: [Int32?] = []
        for bridge in [bridges[0], bridges[2]] {
            bridge.send(SIGTERM)
            exits.append(await bridge.waitForExit(timeout: .seconds(30)))
        }

        #expect(victimReplied, "the victim had died before it was killed: \(victim.log.suffix(2000))")
        #expect(complete, "not every event was answered: \(bridges[0].log.suffix(1500)) \(bridges[2].log.suffix(1500))")
        #expect(tally.lost == 0)
        #expect(tally.changedIDs == 0)
        #expect(tally.unreadable == 0)
        #expect(tally.deadLetters == 0)
        #expect(exits == [0, 0], "the survivors did not stop cleanly")
        await ledger.close()
        for bridge in bridges { await bridge.ensureStopped() }
        await rig.stop()
    }
}
