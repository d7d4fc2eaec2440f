import CustomerAPIs
import Kafka
import Synchronization

/// Which input partitions are paused because an event of their API waits for the API's open
/// circuit (docs/contract.md, "Pauses"): every partition of that API's topics this member owns, across
/// rebalances, and none once no event of the API waits. A value type without I/O: the actions it
/// returns are the consumer calls to make, in order.
struct CircuitPauses: Sendable, Equatable {
    /// A consumer call to make.
    enum Action: Sendable, Equatable {
        case pause([KafkaTopicPartition])
        case resume([KafkaTopicPartition])
    }

    let topicKinds: [String: EventKind]
    /// The APIs an event waits for.
    private(set) var pausedKinds: Set<EventKind> = []
    /// The partitions this member owns now.
    private(set) var owned: Set<KafkaTopicPartition> = []
    /// The owned partitions paused here and not resumed since. A revoke ends the pause of the
    /// revoked partitions in the Kafka layer (`KafkaConsumer.pause`), so they leave this set then,
    /// and are paused again if they come back while an event still waits.
    private(set) var paused: Set<KafkaTopicPartition> = []

    init(topicKinds: [String: EventKind]) {
        self.topicKinds = topicKinds
    }

    /// Whether an event of `kind` waits for its circuit now.
    mutating func kind(_ kind: EventKind, waits: Bool) -> [Action] {
        if waits {
            guard pausedKinds.insert(kind).inserted else { return [] }
            return pause(owned.filter { topicKinds[$0.topic] == kind })
        }
        guard pausedKinds.remove(kind) != nil else { return [] }
        let resumed = paused.filter { topicKinds[$0.topic] == kind }
        paused.subtract(resumed)
        return resumed.isEmpty ? [] : [.resume(Self.sorted(resumed))]
    }

    /// Partitions were assigned: those of an API an event waits for are paused at once.
    mutating func assigned(_ partitions: [KafkaTopicPartition]) -> [Action] {
        owned.formUnion(partitions)
        return pause(partitions.filter { partition in topicKinds[partition.topic].map { pausedKinds.contains($0) } ?? false })
    }

    /// Partitions are being revoked or were lost: they are no longer this member's to pause or
    /// resume. Told before the pipeline gives up their work, so that no resume of them reaches the
    /// consumer while the revoke is under way (their pause ends with the revoke).
    mutating func revoked(_ partitions: [KafkaTopicPartition]) -> [Action] {
        owned.subtract(partitions)
        paused.subtract(partitions)
        return []
    }

    private mutating func pause(_ partitions: some Collection<KafkaTopicPartition>) -> [Action] {
        guard !partitions.isEmpty else { return [] }
        paused.formUnion(partitions)
        return [.pause(Self.sorted(partitions))]
    }

    private static func sorted(_ partitions: some Collection<KafkaTopicPartition>) -> [KafkaTopicPartition] {
        partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}

/// The one place that pauses and resumes input partitions for the circuits: ``CircuitPauses``
/// under a lock, its actions applied to the consumer outside the lock, in the order decided, by
/// one task at a time.
final class CircuitPauseControl: Sendable {
    private struct Shared: Sendable {
        var pauses: CircuitPauses
        var queue: [CircuitPauses.Action] = []
        var applying = false
    }

    private let shared: Mutex<Shared>
    private let apply: @Sendable (CircuitPauses.Action) -> Void

    /// - Parameter apply: Makes one consumer call (`pause` or `resume`); it must not call back here.
    init(topicKinds: [String: EventKind], apply: @escaping @Sendable (CircuitPauses.Action) -> Void) {
        self.shared = Mutex(Shared(pauses: CircuitPauses(topicKinds: topicKinds)))
        self.apply = apply
    }

    /// The APIs whose topics are paused for their circuit now.
    var pausedKinds: Set<EventKind> { shared.withLock { $0.pauses.pausedKinds } }

    func kind(_ kind: EventKind, waits: Bool) { update { $0.kind(kind, waits: waits) } }
    func assigned(_ partitions: [KafkaTopicPartition]) { update { $0.assigned(partitions) } }
    func revoked(_ partitions: [KafkaTopicPartition]) { update { $0.revoked(partitions) } }

    private func update(_ body: (inout CircuitPauses) -> [CircuitPauses.Action]) {
        let drain = shared.withLock { shared -> Bool in
            shared.queue.append(contentsOf: body(&shared.pauses))
            guard !shared.queue.isEmpty, !shared.applying else { return false }
            shared.applying = true
            return true
        }
        guard drain else { return }
        while true {
            let batch = shared.withLock { shared -> [CircuitPauses.Action] in
                let batch = shared.queue
                shared.queue = []
                if batch.isEmpty { shared.applying = false }
                return batch
            }
            if batch.isEmpty { return }
            batch.forEach(apply)
        }
    }
}
