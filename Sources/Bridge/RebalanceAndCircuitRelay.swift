import CustomerAPIs
import Kafka
import Logging
import Synchronization

/// Forwards the consumer's rebalance events and the routes' circuit effects to the parts that act
/// on them (the pipeline, the circuit pauses, readiness, metrics, the log), once those exist: the
/// consumer and the routes are built before the pipeline they reach.
final class RebalanceAndCircuitRelay: Sendable {
    /// What the rebalance and route callbacks act on, once everything is built.
    struct Targets: Sendable {
        let pipeline: BridgePipeline
        let consumer: KafkaConsumer
        let pauses: CircuitPauseControl
        let readiness: Readiness
        let metrics: BridgeMetrics
        let logger: Logger
    }

    private let target = Mutex<Targets?>(nil)

    /// Starts forwarding to `target`.
    func connect(_ target: Targets) {
        self.target.withLock { $0 = target }
    }

    /// Drops the target: callbacks arriving later do nothing.
    func disconnect() {
        target.withLock { $0 = nil }
    }

    func handle(_ event: KafkaRebalanceEvent) async {
        guard let target = target.withLock({ $0 }) else { return }
        switch event {
        case .assigned(let partitions):
            target.pipeline.partitionsAssigned(partitions)
            target.pauses.assigned(partitions)
            target.logger.info("partitions assigned", metadata: ["count": "\(partitions.count)"])
        case .revoked(let partitions):
            // A lost assignment (the group session expired): other members may own the partitions
            // already, so their work is abandoned at once rather than given the revoke grace.
            let lost = target.consumer.assignmentLost
            target.logger.info(lost ? "partitions lost" : "partitions revoked", metadata: ["count": "\(partitions.count)"])
            target.pauses.revoked(partitions)
            await target.pipeline.partitionsRevoked(partitions, lost: lost)
        }
        target.readiness.setAssignedPartitions(target.pipeline.assignedPartitions.count)
    }

    /// Acts on what a route decided, in the order it decided it (called outside the route's lock).
    func routeEffect(_ kind: EventKind, _ effect: APIRoute.Effect) {
        guard let target = target.withLock({ $0 }) else { return }
        switch effect {
        case .circuitOpened(let reason):
            target.readiness.circuitOpened(kind, reason: reason)
            target.metrics.recordCircuit(kind: kind, open: true)
            target.logger.error("\(kind.rawValue) API circuit opened", metadata: ["reason": "\(reason)"])
        case .circuitClosed:
            target.readiness.circuitClosed(kind)
            target.metrics.recordCircuit(kind: kind, open: false)
            target.logger.info("\(kind.rawValue) API circuit closed")
        case .pauseTopics:
            target.pauses.kind(kind, waits: true)
            target.logger.warning("\(kind.rawValue) API: events wait for its open circuit; its topics are paused")
        case .resumeTopics:
            target.pauses.kind(kind, waits: false)
            target.logger.info("\(kind.rawValue) API: no event waits for its circuit; its topics are resumed")
        }
    }
}
