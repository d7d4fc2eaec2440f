import Foundation
import Testing
import TestSupport

extension ResilienceScenarios {
    /// SIGTERM at ten moments spread over a `run` process's first five seconds: before it joined
    /// its group, during the first join (when librdkafka 2.0.2's cooperative-sticky assignor has
    /// no state yet, and destroying the consumer then aborts the process, librdkafka#4312) and
    /// just after. Every stop exits 0, within the grace plus 5 s (docs/contract.md, "Shutdown").
    @Test func sigtermDuringTheFirstSecondsOfRunExitsCleanly() async throws {
        let rig = try await ResilienceRig.start(partitions: 4)
        let grace = 5
        var exits: [String] = []
        var failures: [String] = []
        for moment in 0..<10 {
            let delay = Duration.milliseconds(250 + 500 * moment)
            // A group of its own each time: every run makes the group's first join.
            let bridge = try rig.startBridge(group: Self.group("start-\(moment)"), ["BRIDGE_SHUTDOWN_GRACE_S": String(grace)])
            try await Task.sleep(for: delay)
            let signalled = ContinuousClock.now
            bridge.send(SIGTERM)
            let exit = await bridge.waitForExit(timeout: .seconds(grace + 5))
            let took = ContinuousClock.now - signalled
            exits.append("\(delay): \(exit.map(String.init) ?? "none") after \(took)")
            if exit != 0 {
                failures.append("SIGTERM after \(delay) exited \(exit.map(String.init) ?? "no exit within \(grace + 5) s"): \(bridge.log.suffix(1500))")
            }
            await bridge.ensureStopped()
            bridge.removeLog()
        }
        report("sigterm during start: \(exits.joined(separator: "; "))")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n---\n"))")
        await rig.stop()
    }
}
