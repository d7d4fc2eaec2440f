import CRdKafka
import Logging

/// A Kafka producer: `send` returns once the broker acknowledged the record (its delivery report).
///
/// A dedicated delivery thread polls librdkafka's delivery reports in batches and resumes one
/// continuation per `send(batch:)`.
///
/// - Important: call `close()` before dropping the last reference; it flushes outstanding records.
///   A producer is never closed in a `deinit`.
public final class KafkaProducer: Sendable {
    let core: ProducerCore
    private let deliveryThread: KafkaThread

    /// Creates the producer and starts its delivery thread.
    /// - Throws: a `KafkaError` with librdkafka's message if a property is unknown or invalid.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let conf = try RDKafkaConfiguration.make(configuration.librdkafkaProperties)
        let context = RDKafkaClientContext(logger: logger)
        context.install(on: conf, withRebalance: false)
        rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR))
        let rk = try RDKafkaConfiguration.makeClient(RD_KAFKA_PRODUCER, conf: conf)
        core = ProducerCore(handle: rk, context: context, logger: logger, closeTimeout: configuration.closeTimeout)
        deliveryThread = DeliveryLoop.start(core: core)
    }

    /// Sends one record and returns where the broker stored it.
    /// - Throws: the delivery error (e.g. `_MSG_TIMED_OUT` after `messageTimeout`), or `closed`.
    public func send(_ record: KafkaOutgoingRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        guard let result = try await send(batch: [record]).first else { throw KafkaError.closed }
        return try result.get()
    }

    /// Sends records and returns one result per record, in order, once all are acknowledged or failed.
    /// Waits (without blocking a thread) while librdkafka's queue is full.
    /// - Throws: `closed` if the producer was closed before the call.
    public func send(batch records: [KafkaOutgoingRecord]) async throws(KafkaError) -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard core.state.withLock({ $0.isOpen }) else { throw KafkaError.closed }
        return await sendOpen(batch: records)
    }

    private func sendOpen(batch records: [KafkaOutgoingRecord]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard records.count <= DeliveryTracker.maxBatchCount else {
            var results: [Result<KafkaDeliveryReport, KafkaError>] = []
            var start = 0
            while start < records.count {
                let end = min(start + DeliveryTracker.maxBatchCount, records.count)
                results += await sendOpen(batch: Array(records[start..<end]))
                start = end
            }
            return results
        }
        guard !records.isEmpty else { return [] }
        guard let batchID = core.state.withLock({ $0.isOpen ? $0.tracker.begin(count: records.count) : nil }) else {
            return records.map { _ in .failure(KafkaError.closed) }
        }
        var refused: [(UInt64, DeliveryOutcome)] = []
        var index = 0
        while index < records.count {
            if produceChunk(records, batchID: batchID, from: &index, refused: &refused) == .queueFull {
                await core.waitForSpace()
            }
        }
        let outcomes = await withCheckedContinuation { (continuation: DeliveryTracker.Waiter) in
            let ready: DeliveryTracker.Outcomes? = core.state.withLock { state in
                // The batch has no waiter yet, so recording its refused records completes nobody.
                if !refused.isEmpty { _ = state.tracker.record(refused) }
                return state.tracker.wait(batchID: batchID, continuation)
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return records.indices.map { index in
            index < outcomes.count ? outcomes[index].result(topic: records[index].topic) : .failure(KafkaError.closed)
        }
    }

    /// Waits until every record sent so far is acknowledged or failed, on the producer's worker thread.
    /// - Throws: `_TIMED_OUT` if records are still outstanding after `timeout`.
    public func flush(timeout: Duration) async throws(KafkaError) {
        let rk = core.handle
        let milliseconds = timeout.kafkaMilliseconds
        guard let err = await core.worker.run({ rd_kafka_flush(rk.raw, milliseconds).rawValue }) else {
            throw KafkaError.closed
        }
        let code = rd_kafka_resp_err_t(rawValue: err)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code) }
    }

    /// Flushes (up to `closeTimeout`, then purges what is left, failing those sends), stops the
    /// delivery thread and destroys the handle, all on a thread of its own. Idempotent.
    public func close() async {
        if !core.closeStarted.exchange(true, ordering: .acquiringAndReleasing) {
            let core = self.core
            let deliveryThread = self.deliveryThread
            KafkaThread(name: "kafka-producer-close") {
                ProducerShutdown.run(core: core, deliveryThread: deliveryThread)
            }.detach()
        }
        await core.closed.wait()
    }
}
