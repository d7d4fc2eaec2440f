import CRdKafka
import Logging
import Synchronization

/// What a consumer's public API, its poll thread and its worker thread share.
final class ConsumerCore: Sendable {
    struct State {
        /// False once the poll thread is about to destroy the handle: no librdkafka call after that.
        var isAlive = true
        /// True once the poll thread starts librdkafka's close. The close forwards the consumer
        /// queue to a queue of its own and waits there until the group is left; a yield of the
        /// consumer queue would reach that queue and end the wait at once (`_TIMED_OUT`) with the
        /// group still running, and the destroy after it could hang. So no wake yields from then on.
        var closeStarted = false
        /// The partitions assigned now. Records of other partitions never reach the buffer.
        var assignment: Set<KafkaTopicPartition> = []
        /// Counts changes of `assignment`: the poll thread filters what it collected during a poll
        /// round only when the assignment changed meanwhile.
        var assignmentChanges = 0
        /// The assignment generation of each assigned partition, as the poll thread's
        /// `FetchControl` numbers them: a pause is asked under the generations it sees.
        var generations: [KafkaTopicPartition: UInt64] = [:]
        /// Pause and resume requests the poll thread has not applied yet, oldest first.
        var fetchRequests: [FetchControl.Request] = []
        /// Whether fetching is paused because the record buffer is full (the poll thread's
        /// `FetchControl` decides; this copy is for observers).
        var pausedForBackpressure = false
        /// Whether the consumer subscribed to topics (joined a group's rebalancing).
        var subscribed = false
        /// True while the rebalance handler runs for partitions librdkafka reports lost (the
        /// group session expired or the member was fenced): `KafkaConsumer.assignmentLost`.
        var revokingLostAssignment = false
    }

    let handle: RDKafkaPointer
    let queue: RDKafkaPointer
    let context: RDKafkaClientContext
    let buffer: RecordBuffer
    let worker: BlockingWorker
    let state = PThreadLock(State())
    let closeRequested = Atomic<Bool>(false)
    let closed = AsyncLatch()
    let logger: Logger
    let rebalanceHandler: (@Sendable (KafkaRebalanceEvent) async -> Void)?
    /// Whether the configured assignment strategies include `cooperative-sticky`.
    let mayUseCooperativeSticky: Bool

    /// - Throws: when librdkafka made the client without a consumer group (its group id is not
    ///   one it can use): the caller destroys the handle.
    init(
        handle: OpaquePointer, context: RDKafkaClientContext, bufferCapacity: Int, bufferCapacityBytes: Int, logger: Logger,
        mayUseCooperativeSticky: Bool, rebalanceHandler: (@Sendable (KafkaRebalanceEvent) async -> Void)?
    ) throws(KafkaError) {
        // NULL when the client has no consumer group, e.g. for a group id librdkafka will not use.
        guard let queue = rd_kafka_queue_get_consumer(handle) else {
            throw KafkaError.invalidArgument(
                "librdkafka made no consumer group for this consumer: group.id must be a usable, non-blank group id")
        }
        self.handle = RDKafkaPointer(raw: handle)
        self.queue = RDKafkaPointer(raw: queue)
        self.context = context
        self.buffer = RecordBuffer(capacity: bufferCapacity, capacityBytes: bufferCapacityBytes)
        self.worker = BlockingWorker(name: "kafka-commit")
        self.logger = logger
        self.mayUseCooperativeSticky = mayUseCooperativeSticky
        self.rebalanceHandler = rebalanceHandler
    }

    /// Runs `body` with the live handle, or returns `nil` once the consumer closed.
    func withLiveHandle<R>(_ body: (OpaquePointer, inout State) -> R) -> R? {
        state.withLock { state in
            guard state.isAlive else { return nil }
            return body(handle.raw, &state)
        }
    }

    /// Hands a pause or resume to the poll thread, which applies it between two polls, and wakes it.
    func request(_ request: FetchControl.Request) {
        let queued = withLiveHandle { _, state -> Bool in
            if case .pause(let partitions, _) = request {
                // The assignment the pause is meant for: the one the caller sees now.
                let askedUnder = state.generations.filter { partitions.contains($0.key) }
                state.fetchRequests.append(.pause(partitions, askedUnder: askedUnder))
            } else {
                state.fetchRequests.append(request)
            }
            return true
        }
        guard queued == true else { return }
        wakePollThread()
    }

    /// Wakes the poll thread from a blocking poll or from its wait for buffer space.
    func wakePollThread() {
        _ = withLiveHandle { _, state in
            if !state.closeStarted { rd_kafka_queue_yield(queue.raw) }
        }
        buffer.spaceAvailable.signal()
    }
}
