/// What librdkafka should fetch, and why not: the poll thread's record of every pause.
///
/// librdkafka 2.0.2 must see pauses and resumes only from the poll thread, between two polls: a
/// pause that races a poll call can make that call drop records whose position it has already
/// passed (CHANGELOG v2.0.0, "Known Issues"), and a resume of a partition that is not paused
/// restarts its fetcher. So callers ask (`Request`), and the poll thread feeds the requests and
/// the assignment changes it sees to this value, and tells librdkafka exactly the `Actions` it
/// returns, in order. No I/O here: the rules are tested on their own.
///
/// The rules:
/// - a partition is paused in librdkafka while it is assigned and has a reason: the application
///   paused it, or the record buffer is full (backpressure);
/// - a revoke ends the application's pause of the revoked partitions (whoever paused them pauses
///   them again when they are assigned back, if it still wants to);
/// - a pause asked for a partition not assigned yet is applied when it is assigned;
/// - a resume is only ever issued for a partition librdkafka has paused; librdkafka keeps its
///   pause across an unassign, so one that comes back without a reason is resumed after its assign.
struct FetchControl: Sendable {
    /// A change of the application's pauses, asked from any thread.
    enum Request: Sendable, Equatable {
        case pause(Set<KafkaTopicPartition>)
        case resume(Set<KafkaTopicPartition>)
        /// The application replaced the assignment itself (manual assignment, no group).
        case assignedManually(Set<KafkaTopicPartition>)
    }

    /// What to tell librdkafka: pause these partitions, then resume those.
    struct Actions: Sendable, Equatable {
        var pause: Set<KafkaTopicPartition> = []
        var resume: Set<KafkaTopicPartition> = []

        var isEmpty: Bool { pause.isEmpty && resume.isEmpty }
    }

    /// The partitions assigned to the consumer.
    private(set) var assignment: Set<KafkaTopicPartition> = []
    /// Partitions the application paused: assigned ones until resumed or revoked, others until
    /// resumed or assigned (then the pause is applied).
    private(set) var pausedByApplication: Set<KafkaTopicPartition> = []
    /// Whether fetching is paused because the record buffer is full.
    private(set) var pausedForBackpressure = false
    /// The partitions librdkafka has paused because this value said so. librdkafka keeps such a
    /// pause across an unassign, so revoked partitions may stay in here until assigned again.
    private(set) var pausedInLibrdkafka: Set<KafkaTopicPartition> = []

    /// Whether `partition` should not be fetched now.
    func shouldPause(_ partition: KafkaTopicPartition) -> Bool {
        pausedForBackpressure || pausedByApplication.contains(partition)
    }

    /// Applies the application's request.
    mutating func apply(_ request: Request) -> Actions {
        switch request {
        case .pause(let partitions):
            pausedByApplication.formUnion(partitions)
            return reconcile(partitions.intersection(assignment))
        case .resume(let partitions):
            pausedByApplication.subtract(partitions)
            return reconcile(partitions.intersection(assignment))
        case .assignedManually(let partitions):
            return replaced(with: partitions)
        }
    }

    /// The record buffer filled up (`true`) or drained (`false`).
    mutating func setBackpressure(_ paused: Bool) -> Actions {
        guard paused != pausedForBackpressure else { return Actions() }
        pausedForBackpressure = paused
        return reconcile(assignment)
    }

    /// `partitions` were assigned (librdkafka's assign call has returned). Every one of them is
    /// paused again when it has a reason (librdkafka's pause survives a reassignment only partly),
    /// and resumed when librdkafka still holds a pause from before that no reason backs any more.
    mutating func assigned(_ partitions: Set<KafkaTopicPartition>) -> Actions {
        assignment.formUnion(partitions)
        var actions = Actions()
        for partition in partitions {
            if shouldPause(partition) {
                actions.pause.insert(partition)
                pausedInLibrdkafka.insert(partition)
            } else if pausedInLibrdkafka.remove(partition) != nil {
                actions.resume.insert(partition)
            }
        }
        return actions
    }

    /// `partitions` were revoked (or lost): they are no longer fetched, and the application's
    /// pause of them ends. Nothing is told to librdkafka now: a partition it still holds paused
    /// is resumed, if nothing pauses it then, when it is assigned again.
    mutating func revoked(_ partitions: Set<KafkaTopicPartition>) {
        assignment.subtract(partitions)
        pausedByApplication.subtract(partitions)
    }

    /// The whole assignment ended (an eager revoke, a failed rebalance, or a manual unassign).
    mutating func unassignedAll() {
        revoked(assignment)
    }

    /// The assignment was replaced by one the application chose (manual assignment).
    mutating func replaced(with partitions: Set<KafkaTopicPartition>) -> Actions {
        let removed = assignment.subtracting(partitions)
        revoked(removed)
        return assigned(partitions.subtracting(assignment))
    }

    /// Brings assigned `partitions` in line with their reasons.
    private mutating func reconcile(_ partitions: Set<KafkaTopicPartition>) -> Actions {
        var actions = Actions()
        for partition in partitions {
            let paused = pausedInLibrdkafka.contains(partition)
            if shouldPause(partition) && !paused {
                actions.pause.insert(partition)
                pausedInLibrdkafka.insert(partition)
            } else if !shouldPause(partition) && paused {
                actions.resume.insert(partition)
                pausedInLibrdkafka.remove(partition)
            }
        }
        return actions
    }
}
