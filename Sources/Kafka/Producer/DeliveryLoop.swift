import CRdKafka
import Logging

/// The producer's delivery thread: polls delivery-report events from librdkafka's main queue and
/// resolves the waiting sends in one lock per event.
final class DeliveryLoop {
    private static let arrayCapacity = 4096

    private let core: ProducerCore

    private init(core: ProducerCore) {
        self.core = core
    }

    /// Starts the delivery thread; it ends after `core.stopDeliveryLoop` is set and the queue is empty.
    static func start(core: ProducerCore) -> KafkaThread {
        KafkaThread(name: "kafka-delivery") { DeliveryLoop(core: core).run() }
    }

    private func run() {
        let messages = UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>.allocate(capacity: Self.arrayCapacity)
        defer { messages.deallocate() }
        while true {
            let stopping = core.stopDeliveryLoop.load(ordering: .acquiring)
            guard let event = rd_kafka_queue_poll(core.mainQueue.raw, stopping ? 0 : 100) else {
                core.wakeSpaceWaiters()
                if stopping { return }
                continue
            }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR:
                while true {
                    let count = rd_kafka_event_message_array(event, messages, Self.arrayCapacity)
                    if count == 0 { break }
                    resolve(UnsafeBufferPointer(start: messages, count: count))
                }
            case RD_KAFKA_EVENT_ERROR:
                let error = KafkaError(code: rd_kafka_event_error(event).rawValue, message: String(cString: rd_kafka_event_error_string(event)))
                if rd_kafka_event_error_is_fatal(event) != 0 {
                    core.logger.error("fatal producer error", metadata: ["error": "\(error)"])
                } else {
                    core.logger.warning("producer error", metadata: ["error": "\(error)"])
                }
            default:
                break
            }
            rd_kafka_event_destroy(event)
            core.wakeSpaceWaiters()
        }
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
        for (waiter, outcomes) in finished { waiter.resume(returning: outcomes) }
    }
}

/// The producer's close sequence, on a thread of its own.
enum ProducerShutdown {
    static func run(core: ProducerCore, deliveryThread: KafkaThread) {
        let rk = core.handle.raw
        core.state.withLock { $0.isOpen = false }
        core.gate.withLock { $0.isOpen = false }
        core.wakeSpaceWaiters()
        core.worker.stopAndJoin()
        if rd_kafka_flush(rk, core.closeTimeout.kafkaMilliseconds) != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("producer close: records still outstanding after the close timeout; purging them")
            _ = rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            _ = rd_kafka_flush(rk, 5_000)
        }
        core.stopDeliveryLoop.store(true, ordering: .releasing)
        rd_kafka_queue_yield(core.mainQueue.raw)
        deliveryThread.join()
        let unresolved = core.state.withLock { $0.tracker.failAll(code: RD_KAFKA_RESP_ERR__DESTROY.rawValue) }
        for (waiter, outcomes) in unresolved { waiter.resume(returning: outcomes) }
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
