import CRdKafka
import Logging
import Synchronization

/// The producer thread: hands queued batches to librdkafka in chunks and, between chunks,
/// serves delivery-report events from the main queue, resolving waiting sends in one lock per
/// event. One thread both allocates librdkafka's message copies and frees them (in
/// `rd_kafka_event_destroy`), as in a C client's single loop, so glibc's allocator serves both
/// from one thread cache and arena instead of contending across threads.
final class ProducerLoop {
    private static let arrayCapacity = 4096
    /// Records handed over between two looks at the delivery reports.
    private static let chunkSize = 1024
    /// How long the thread waits for an event with nothing to produce (it is woken when a batch
    /// is queued) or while librdkafka's queue is full.
    private static let idleWaitMilliseconds: Int32 = 100
    private static let queueFullWaitMilliseconds: Int32 = 10

    private let core: ProducerCore
    private let messages = UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>.allocate(capacity: arrayCapacity)
    /// The batch being handed over.
    private var current: ProducerCore.QueuedBatch?

    private init(core: ProducerCore) {
        self.core = core
    }

    deinit {
        messages.deallocate()
    }

    /// Starts the producer thread; it ends after `core.stopProducerThread` is set and the queue is empty.
    static func start(core: ProducerCore) -> KafkaThread {
        KafkaThread(name: "kafka-producer") { ProducerLoop(core: core).run() }
    }

    private func run() {
        while true {
            let stopping = core.stopProducerThread.load(ordering: .acquiring)
            var timeout: Int32 = 0
            if !stopping {
                switch produceNextChunk() {
                case .produced: timeout = 0
                case .queueFull: timeout = Self.queueFullWaitMilliseconds
                case .idle: timeout = Self.idleWaitMilliseconds
                }
            }
            // Serve every event that is ready; wait for the first one only when there is nothing
            // to produce (or no room to).
            var served = false
            while let event = rd_kafka_queue_poll(core.mainQueue.raw, served ? 0 : timeout) {
                serve(event)
                served = true
            }
            if stopping && !served { return }
        }
    }

    private enum Progress { case produced, queueFull, idle }

    /// Hands the next chunk of queued records to librdkafka.
    private func produceNextChunk() -> Progress {
        if current == nil {
            current = core.state.withLock { state in
                guard !state.queued.isEmpty else {
                    state.threadIdle = true
                    return nil
                }
                return state.queued.removeFirst()
            }
        }
        guard var batch = current else { return .idle }
        let end = min(batch.next + Self.chunkSize, batch.records.count)
        var refused: [(UInt64, DeliveryOutcome)] = []
        let queueFull = Self.handOver(&batch, upTo: end, core: core, refused: &refused)
        if !refused.isEmpty {
            // The batch's waiter is registered, so this can complete it.
            let finished = core.state.withLock { $0.tracker.record(refused) }
            for (waiter, outcomes) in finished { waiter(outcomes) }
        }
        current = batch.next < batch.records.count ? batch : nil
        return queueFull ? .queueFull : .produced
    }

    private func serve(_ event: OpaquePointer) {
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_DR:
            while true {
                let count = rd_kafka_event_message_array(event, messages, Self.arrayCapacity)
                if count == 0 { break }
                resolve(UnsafeBufferPointer(start: messages, count: count))
            }
        case RD_KAFKA_EVENT_ERROR:
            let error = KafkaError(librdkafkaCode: rd_kafka_event_error(event).rawValue, message: String(librdkafka: rd_kafka_event_error_string(event)))
            if rd_kafka_event_error_is_fatal(event) != 0 {
                core.logger.error("fatal producer error", metadata: ["error": "\(error)"])
            } else {
                core.logger.warning("producer error", metadata: ["error": "\(error)"])
            }
        default:
            break
        }
        rd_kafka_event_destroy(event)
    }

    /// Records the reports of `messages` under one lock and resumes the sends they completed.
    private func resolve(_ messages: UnsafeBufferPointer<UnsafePointer<rd_kafka_message_t>?>) {
        let reports = messages.lazy.compactMap { message -> (UInt64, DeliveryOutcome)? in
            guard let message else { return nil }
            let opaque = UInt64(UInt(bitPattern: message.pointee._private))
            let err = message.pointee.err
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { return (opaque, .failed(err.rawValue)) }
            return (opaque, .stored(partition: message.pointee.partition, offset: message.pointee.offset))
        }
        let finished = core.state.withLock { $0.tracker.record(reports) }
        for (waiter, outcomes) in finished { waiter(outcomes) }
    }
}

/// The producer's close sequence, on a thread of its own.
enum ProducerShutdown {
    static func run(core: ProducerCore, producerThread: KafkaThread) {
        let rk = core.handle.raw
        core.state.withLock { $0.isOpen = false }
        // Waits for a chunk being handed over; afterwards the producer thread refuses every
        // queued record (failing it as closed) and only serves delivery reports.
        core.gate.withLock { $0.isOpen = false }
        core.worker.stopAndJoin()
        if rd_kafka_flush(rk, core.closeTimeout.kafkaMilliseconds) != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("producer close: records still outstanding after the close timeout; purging them")
            _ = rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            _ = rd_kafka_flush(rk, 5_000)
        }
        core.stopProducerThread.store(true, ordering: .releasing)
        rd_kafka_queue_yield(core.mainQueue.raw)
        producerThread.join()
        let unresolved = core.state.withLock { state in
            state.queued.removeAll()
            return state.tracker.failAll(code: RD_KAFKA_RESP_ERR__DESTROY.rawValue)
        }
        for (waiter, outcomes) in unresolved { waiter(outcomes) }
        let topics = core.gate.withLock { gate in
            let topics = Array(gate.topics.values)
            gate.topics.removeAll()
            return topics
        }
        for topic in topics { rd_kafka_topic_destroy(topic.raw) }
        rd_kafka_queue_destroy(core.mainQueue.raw)
        rd_kafka_destroy(rk)
        core.closed.open()
    }
}
