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
///   pause across an unassign, so a revoke lifts it once the partition is unassigned.
struct FetchControl: Sendable {
    /// A change of the application's pauses, asked from any thread.
    enum Request: Sendable, Equatable {
        /// Pause `partitions`; `askedUnder` holds the assignment generation of those that were
        /// assigned when the pause was asked. A pause asked under an assignment that has ended
        /// since (the partition was revoked, perhaps assigned again) is dropped: it was meant for
        /// that assignment, and whoever asked it pauses again under the new one if it must.
        case pause(Set<KafkaTopicPartition>, askedUnder: [KafkaTopicPartition: UInt64] = [:])
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
    /// The generation of each assigned partition's assignment: a partition assigned again gets a new one.
    private(set) var generations: [KafkaTopicPartition: UInt64] = [:]
    private var nextGeneration: UInt64 = 1
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
        case .pause(let partitions, let askedUnder):
            let current = partitions.filter { partition in
                askedUnder[partition].map { $0 == generations[partition] } ?? true
            }
            pausedByApplication.formUnion(current)
            return reconcile(current.intersection(assignment))
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

    /// `partitions` were assigned (librdkafka's assign call has returned). Every one of them that
    /// has a reason is paused (again: librdkafka's pause survives a reassignment only partly).
    mutating func assigned(_ partitions: Set<KafkaTopicPartition>) -> Actions {
        assignment.formUnion(partitions)
        var actions = Actions()
        for partition in partitions {
            generations[partition] = nextGeneration
            nextGeneration += 1
            if shouldPause(partition) {
                actions.pause.insert(partition)
                pausedInLibrdkafka.insert(partition)
            } else if pausedInLibrdkafka.remove(partition) != nil {
                actions.resume.insert(partition)
            }
        }
        return actions
    }

    /// `partitions` were revoked (or lost) and librdkafka has unassigned them: they are no longer
    /// fetched, and every pause of them ends. librdkafka keeps its own pause of a partition across
    /// an unassign, and a resume issued just after the partition is assigned again does not always
    /// restart its fetcher (seen with 2.0.2), so the pause is lifted now, while the partition is not
    /// fetched anyway: its next assignment starts unpaused unless a reason pauses it again.
    mutating func revoked(_ partitions: Set<KafkaTopicPartition>) -> Actions {
        assignment.subtract(partitions)
        pausedByApplication.subtract(partitions)
        for partition in partitions { generations[partition] = nil }
        let resumed = pausedInLibrdkafka.intersection(partitions)
        pausedInLibrdkafka.subtract(resumed)
        return Actions(resume: resumed)
    }

    /// The whole assignment ended (an eager revoke, a failed rebalance, or a manual unassign).
    mutating func unassignedAll() -> Actions {
        revoked(assignment)
    }

    /// The assignment was replaced by one the application chose (manual assignment).
    mutating func replaced(with partitions: Set<KafkaTopicPartition>) -> Actions {
        let removed = assignment.subtracting(partitions)
        var actions = revoked(removed)
        let added = assigned(partitions.subtracting(assignment))
        actions.pause.formUnion(added.pause)
        actions.resume.formUnion(added.resume)
        return actions
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
