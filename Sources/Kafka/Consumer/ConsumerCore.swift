import CRdKafka
import Logging
import Synchronization

/// What a consumer's public API, its poll thread and its worker thread share.
final class ConsumerCore: Sendable {
    struct State {
        /// False once the poll thread is about to destroy the handle: no librdkafka call after that.
        var isAlive = true
        var assignment: Set<KafkaTopicPartition> = []
        var userPaused: Set<KafkaTopicPartition> = []
        var pausedForBackpressure = false
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

    init(
        handle: OpaquePointer, context: RDKafkaClientContext, bufferCapacity: Int, logger: Logger,
        rebalanceHandler: (@Sendable (KafkaRebalanceEvent) async -> Void)?
    ) {
        self.handle = RDKafkaPointer(raw: handle)
        // poll_set_consumer was called, so the consumer queue exists.
        self.queue = RDKafkaPointer(raw: rd_kafka_queue_get_consumer(handle)!)
        self.context = context
        self.buffer = RecordBuffer(capacity: bufferCapacity)
        self.worker = BlockingWorker(name: "kafka-commit")
        self.logger = logger
        self.rebalanceHandler = rebalanceHandler
    }

    /// Runs `body` with the live handle, or returns `nil` once the consumer closed.
    func withLiveHandle<R>(_ body: (OpaquePointer, inout State) -> R) -> R? {
        state.withLock { state in
            guard state.isAlive else { return nil }
            return body(handle.raw, &state)
        }
    }

    /// Pauses (`pause == true`) or resumes `partitions` in librdkafka; logs failures.
    func setFetching(_ partitions: Set<KafkaTopicPartition>, paused pause: Bool, rk: OpaquePointer) {
        guard !partitions.isEmpty else { return }
        let err = RDKafkaTopicPartitionList.with(Array(partitions)) { list in
            pause ? rd_kafka_pause_partitions(rk, list) : rd_kafka_resume_partitions(rk, list)
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("could not \(pause ? "pause" : "resume") partitions", metadata: ["error": "\(KafkaError(err))"])
        }
    }
}
