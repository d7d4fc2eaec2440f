import Foundation
import Testing
import TestSupport

/// Issue 13's circuit seams, each between processes: the circuit's probe rules (docs/contract.md,
/// "Circuit") across a rotated secret and a rebalance, and the service supervising itself
/// ("Supervision").
extension ResilienceScenarios {
    /// API 1's circuit opens on a 401; the credentials come back, but the one waiting event's probe
    /// is answered 422 (that event's own fault). The probe's event is failed with its 422, the
    /// circuit closes, and the events produced afterwards succeed within two probe intervals.
    @Test func scenario7aProbeAnswered422ClosesTheCircuit() async throws {
        let probeSeconds = 3
        let rig = try await ResilienceRig.start(partitions: 4)
        let ledger = try ReplyLedger(rig: rig)
        let bridge = try rig.startBridge(
            group: Self.group("probe422"), Self.quickRetries.merging(["BRIDGE_CIRCUIT_PROBE_S": "\(probeSeconds)"]) { $1 })
        let warmup = try await rig.produce([ResilienceEvents.customer(0, withEventID: true)])
        let warmedUp = await ledger.waitForAll(Set(warmup), timeout: .seconds(60), quiet: .zero)

        // The secret is rotated away from the bridge: API 1 answers 401 and the circuit opens.
        try await rig.control("POST", "/_control/credentials", json: #"{"apiId":"sim-api-id","apiSecret":"rotated","token":"sim-bearer-token"}"#)
        let waiting = try await rig.produce([ResilienceEvents.customer(1, withEventID: true)])
        let opened = (try? await bridge.value(after: "API circuit opened", timeout: .seconds(30))) != nil
        // Its probe will be answered 422 (faults come before authentication); the secret is back.
        try await rig.control(
            "POST", "/_control/faults",
            json: #"{"type":"failNext","count":1,"status":422,"api":"customer-metadata","matching":"evt-1\""}"#)
        try await rig.control("POST", "/_control/credentials", json: #"{"apiId":"sim-api-id","apiSecret":"sim-api-secret","token":"sim-bearer-token"}"#)
        let probed = await ledger.waitForAll(Set(waiting), timeout: .seconds(30), quiet: .zero)

        let after = try await rig.produce((2..<22).map { ResilienceEvents.customer($0, withEventID: true) })
        let produced = ContinuousClock.now
        let flowed = await ledger.wait(timeout: .seconds(Int64(2 * probeSeconds))) { $0.answered(Set(after)) == after.count }
        let took = ContinuousClock.now - produced
        let book = ledger.snapshot
        let probeReply = book.replies[waiting[0]]?.first
        let notSucceeded = after.filter { book.replies[$0]?.contains { $0.status != "succeeded" } ?? true }
        report("scenario 7a probe answered 422: 20 events after it answered in \(took) (limit \(2 * probeSeconds) s)")
        bridge.send(SIGTERM)
        let exit = await bridge.waitForExit(timeout: .seconds(30))

        #expect(warmedUp, "the bridge never answered the first event: \(bridge.log.suffix(2000))")
        #expect(opened, "the 401 did not open the circuit: \(bridge.log.suffix(2000))")
        #expect(probed, "the waiting event got no reply: \(bridge.log.suffix(2000))")
        #expect(probeReply?.status == "failed", "the probe's own event keeps its outcome: \(String(describing: probeReply))")
        #expect(probeReply?.errorCode?.contains("422") == true, "\(String(describing: probeReply))")
        #expect(flowed, "events after the probe waited \(took): \(bridge.log.suffix(2000))")
        #expect(notSucceeded.isEmpty, "\(notSucceeded.count) later events did not succeed")
        #expect(book.deadLetterCount == 1, "only the 422's event is dead-lettered")
        #expect(exit == 0, "the bridge did not stop cleanly: \(bridge.log.suffix(2000))")
        await ledger.close()
        await bridge.ensureStopped()
        await rig.stop()
    }

    /// API 1 is down while a second member joins; it comes back; then the member leaves. Every
    /// event — before, during and after — succeeds within 30 s of the member's exit, with no dead
    /// letters: partitions paused for the circuit on one member and moved are resumed wherever
    /// they end up.
    @Test func scenario7bAPIOutageAcrossAMemberJoiningAndLeaving() async throws {
        let rig = try await ResilienceRig.start(partitions: 8)
        let ledger = try ReplyLedger(rig: rig)
        let group = Self.group("outage-rebalance")
        let settings = Self.quickRetries.merging(["KAFKA_AUTO_COMMIT_INTERVAL_MS": "500"]) { $1 }
        let first = try rig.startBridge(group: group, settings)
        var sources = try await rig.produce((0..<300).map { ResilienceEvents.customer($0) })
        let warmedUp = await ledger.waitForAll(Set(sources), timeout: .seconds(90), quiet: .zero)

        let outage = try await rig.control("POST", "/_control/faults", json: #"{"type":"failFor","seconds":20,"status":503,"api":"customer-metadata"}"#)
        sources += try await rig.produce((300..<1300).map { ResilienceEvents.customer($0) })
        try await Task.sleep(for: .seconds(2))
        let second = try rig.startBridge(group: group, settings)
        sources += try await rig.produce((1300..<1600).map { ResilienceEvents.customer($0) })
        // The outage ends 20 s after it began; the second member then works for a while and leaves.
        try await Task.sleep(for: .seconds(25))
        second.send(SIGTERM)
        let secondExit = await second.waitForExit(timeout: .seconds(40))
        let left = ContinuousClock.now
        sources += try await rig.produce((1600..<2000).map { ResilienceEvents.customer($0) })

        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(30), quiet: .seconds(1))
        let took = ContinuousClock.now - left
        let book = ledger.snapshot
        let tally = ScenarioTally(number: 7, name: "API 1 outage across a member joining and leaving", sources: sources, book: book)
        tally.print()
        report("scenario 7b: answered \(ledger.answered(Set(sources))) of \(sources.count) within \(took) of the second member's exit")
        let notSucceeded = sources.filter { book.replies[$0]?.contains { $0.status != "succeeded" } ?? false }
        first.send(SIGTERM)
        let firstExit = await first.waitForExit(timeout: .seconds(40))

        #expect(warmedUp, "the first member never answered: \(first.log.suffix(2000))")
        #expect(outage == 200)
        #expect(secondExit == 0, "the second member did not stop cleanly: \(second.log.suffix(2000))")
        let lost = sources.filter { book.replies[$0] == nil }
        #expect(complete, "\(tally.lost) events got no reply within 30 s of the member's exit, e.g. \(lost.prefix(12)): \(first.log.suffix(3000))")
        #expect(notSucceeded.isEmpty, "\(notSucceeded.count) events did not succeed, e.g. \(notSucceeded.prefix(3))")
        #expect(book.deadLetterCount == 0, "an outage must not dead-letter anything")
        #expect(tally.unreadable == 0)
        #expect(firstExit == 0, "the first member did not stop cleanly: \(first.log.suffix(2000))")
        await ledger.close()
        await first.ensureStopped()
        await second.ensureStopped()
        await rig.stop()
    }

    /// `run` whose HTTP port is taken exits non-zero at once, with one line saying why, after
    /// closing the consumer and producer it had started.
    @Test func scenario7cHTTPPortTakenEndsTheProcess() async throws {
        let rig = try await ResilienceRig.start(partitions: 1)
        // The simulator's port is taken, on loopback.
        let port = try #require(URL(string: rig.simulatorURL)?.port)
        let started = ContinuousClock.now
        let bridge = try rig.startBridge(group: Self.group("port-taken"), ["BRIDGE_HTTP_PORT": "\(port)"])
        let exit = await bridge.waitForExit(timeout: .seconds(30))
        let took = ContinuousClock.now - started
        let log = bridge.log
        let failures = log.split(separator: "\n").filter { $0.contains("HTTP endpoints") }
        report("scenario 7c HTTP port taken: exit \(exit.map(String.init) ?? "none") after \(took); \(failures.first ?? "no line")")

        #expect(exit != nil && exit != 0, "the bridge kept running half alive: \(log.suffix(2000))")
        #expect(failures.count == 1, "one line must say why: \(log.suffix(2000))")
        #expect(failures.first?.contains("\(port)") == true)
        #expect(took < .seconds(15), "it took \(took) to give up")
        await bridge.ensureStopped()
        bridge.removeLog()
        await rig.stop()
    }
}
