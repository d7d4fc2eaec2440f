import Foundation
import Testing

/// The multi-process resilience suite (issue 6): each scenario starts `kafka-api-bridge
/// dev-broker`, `simulate-apis` and one or more `run` processes, feeds events from the test
/// process, injects one fault, and checks every input event against the reply topic.
///
/// The scenarios run one after another (each loads the machine on its own); every one prints
/// `scenario N <name>: events in X, replies Y, duplicates D, dead letters L, lost 0`.
@Suite(.serialized) struct ResilienceScenarios {
    /// A group id of its own for each run, so nothing carries over between scenarios.
    static func group(_ name: String) -> String { "resilience-\(name)-\(UInt32.random(in: 0...UInt32.max))" }

    /// Settings every scenario's bridges share: small retry timings and a fast circuit probe.
    static let quickRetries = [
        "BRIDGE_RETRY_BASE_MS": "10",
        "BRIDGE_RETRY_MAX_MS": "200",
        "BRIDGE_MAX_ATTEMPTS": "3",
        "BRIDGE_CIRCUIT_PROBE_S": "1",
        "BRIDGE_SHUTDOWN_GRACE_S": "10",
    ]

    /// An event count, overridable with RESILIENCE_EVENTS_<NAME> for a longer or shorter run.
    static func eventCount(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment["RESILIENCE_EVENTS_\(name.uppercased())"].flatMap(Int.init) ?? value
    }
}
