import CRdKafka
import Logging

/// The producer's delivery thread: polls delivery-report events from librdkafka's main queue and
/// resolves the waiting sends in one lock per event.
final class DeliveryLoop {
    private static let arrayCapacity = 4096

    private let core: ProducerCore
    private var topicNames: [OpaquePointer: String] = [:]

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
        var reports: [(UInt64, Result<KafkaDeliveryReport, KafkaError>)] = []
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
                    for index in 0..<count {
                        guard let message = messages[index] else { continue }
                        reports.append(report(message))
                    }
                }
                resolve(reports)
                reports.removeAll(keepingCapacity: true)
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

    private func report(_ message: UnsafePointer<rd_kafka_message_t>) -> (UInt64, Result<KafkaDeliveryReport, KafkaError>) {
        let m = message.pointee
        let opaque = UInt64(UInt(bitPattern: m._private))
        guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return (opaque, .failure(KafkaError(m.err))) }
        return (opaque, .success(KafkaDeliveryReport(topic: topicName(m.rkt), partition: m.partition, offset: m.offset)))
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let name = topicNames[rkt] { return name }
        let name = String(cString: rd_kafka_topic_name(rkt))
        topicNames[rkt] = name
        return name
    }

    private func resolve(_ reports: [(UInt64, Result<KafkaDeliveryReport, KafkaError>)]) {
        guard !reports.isEmpty else { return }
        let finished = core.state.withLock { $0.tracker.record(reports) }
        for (waiter, results) in finished { waiter.resume(returning: results) }
    }
}

/// The producer's close sequence, on a thread of its own.
enum ProducerShutdown {
    static func run(core: ProducerCore, deliveryThread: KafkaThread) {
        let rk = core.handle.raw
        core.state.withLock { $0.isOpen = false }
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
        let unresolved = core.state.withLock { $0.tracker.failAll(KafkaError.closed) }
        for (waiter, results) in unresolved { waiter.resume(returning: results) }
        let topics = core.state.withLock { state in
            let topics = Array(state.topics.values)
            state.topics.removeAll()
            return topics
        }
        for topic in topics { rd_kafka_topic_destroy(topic.raw) }
        rd_kafka_queue_destroy(core.mainQueue.raw)
        rd_kafka_destroy(rk)
        core.closed.open()
    }
}
