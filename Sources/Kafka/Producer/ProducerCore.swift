import CRdKafka
import Logging
import Synchronization

/// What a producer's public API, its producer thread and its close thread share.
///
/// `state` is the senders' and the producer thread's bookkeeping (held briefly by both);
/// `gate` is held by the producer thread while it hands records to librdkafka and by the close
/// thread to stop that.
final class ProducerCore: Sendable {
    struct State {
        /// False once closing started: no send starts after that.
        var isOpen = true
        var tracker = DeliveryTracker()
        /// Batches waiting for the producer thread to hand them to librdkafka, oldest first.
        var queued: [QueuedBatch] = []
        /// Set by the producer thread before it waits for events with nothing to produce; a
        /// sender that queues a batch then wakes it.
        var threadIdle = false
    }

    /// A `send(batch:)` whose records the producer thread has not all handed over yet.
    struct QueuedBatch {
        let records: [KafkaOutgoingRecord]
        let batchID: UInt64
        /// The first record not handed over yet.
        var next = 0
    }

    /// What the producer thread needs to call `rd_kafka_produceva` safely.
    struct Gate {
        /// False once closing started: no produce call starts after that.
        var isOpen = true
        var topics: [String: RDKafkaPointer] = [:]
    }

    let handle: RDKafkaPointer
    let mainQueue: RDKafkaPointer
    let context: RDKafkaClientContext
    let state = PThreadLock(State())
    let gate = PThreadLock(Gate())
    let stopProducerThread = Atomic<Bool>(false)
    let closeStarted = Atomic<Bool>(false)
    let closed = AsyncLatch()
    let worker = BlockingWorker(name: "kafka-flush")
    let logger: Logger
    let closeTimeout: Duration

    /// - Throws: when librdkafka gives no main queue for `handle` (the caller destroys the handle).
    init(handle: OpaquePointer, context: RDKafkaClientContext, logger: Logger, closeTimeout: Duration) throws(KafkaError) {
        guard let mainQueue = rd_kafka_queue_get_main(handle) else {
            throw KafkaError(librdkafkaCode: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: "librdkafka gave the producer no main queue")
        }
        self.handle = RDKafkaPointer(raw: handle)
        self.mainQueue = RDKafkaPointer(raw: mainQueue)
        self.context = context
        self.logger = logger
        self.closeTimeout = closeTimeout
    }

    /// The topic handle for `name`, created on first use (call with the gate locked).
    static func topic(_ name: String, rk: OpaquePointer, in gate: inout Gate) -> OpaquePointer? {
        if let topic = gate.topics[name] { return topic.raw }
        guard let topic = rd_kafka_topic_new(rk, name, nil) else { return nil }
        gate.topics[name] = RDKafkaPointer(raw: topic)
        return topic
    }
}
