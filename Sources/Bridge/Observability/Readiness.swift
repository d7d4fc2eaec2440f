import CustomerAPIs
import Synchronization

/// What `/readyz` reports: ready when the consumer has partitions and no API's circuit is open;
/// otherwise the reasons why not.
public final class Readiness: Sendable {
    private struct State {
        var assignedPartitions = 0
        var openCircuits: [EventKind: String] = [:]
        var stopping = false
        /// Why replies or dead letters cannot be written now, when they cannot.
        var writeProblem: String?
    }

    private let state = Mutex(State())

    public init() {}

    /// The reasons the bridge is not ready; empty when it is.
    public var reasons: [String] {
        state.withLock { state in
            var reasons: [String] = []
            if state.stopping { reasons.append("shutting down") }
            if state.assignedPartitions == 0 { reasons.append("no partitions assigned") }
            for kind in EventKind.allCases {
                if let reason = state.openCircuits[kind] {
                    reasons.append("\(kind.rawValue) API circuit open: \(reason)")
                }
            }
            if let problem = state.writeProblem { reasons.append(problem) }
            return reasons
        }
    }

    /// The API kinds whose circuit is open.
    var openKinds: Set<EventKind> {
        state.withLock { Set($0.openCircuits.keys) }
    }

    func setAssignedPartitions(_ count: Int) {
        state.withLock { $0.assignedPartitions = count }
    }

    func circuitOpened(_ kind: EventKind, reason: String) {
        state.withLock { $0.openCircuits[kind] = reason }
    }

    func circuitClosed(_ kind: EventKind) {
        state.withLock { _ = $0.openCircuits.removeValue(forKey: kind) }
    }

    /// Replies or dead letters cannot be written (`nil`: they can again), with why: the broker
    /// refused them for a reason of the path, not of the records (docs/contract.md, "When the broker refuses a reply").
    func setWriteProblem(_ problem: String?) {
        state.withLock { $0.writeProblem = problem }
    }

    func setStopping() {
        state.withLock { $0.stopping = true }
    }
}
