import CRdKafka
import Logging
import Synchronization

/// A Kafka producer: `send` returns once the broker acknowledged the record (its delivery report).
///
/// One dedicated producer thread hands queued records to librdkafka and serves its delivery
/// reports in batches, like a C client's single thread (librdkafka's message buffers are then
/// allocated and freed on one thread); it resumes one continuation per `send(batch:)`.
///
/// - Important: call `close()` before dropping the last reference; it flushes outstanding records.
///   A producer is never closed in a `deinit`.
public final class KafkaProducer: Sendable {
    let core: ProducerCore
    private let producerThread: KafkaThread

    /// Creates the producer and starts its producer thread.
    /// - Throws: a `KafkaError` with librdkafka's message if a property is unknown or invalid.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let conf = try RDKafkaConfiguration.make(configuration.librdkafkaProperties)
        let context = RDKafkaClientContext(logger: logger)
        context.install(on: conf, withRebalance: false)
        rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR))
        let rk = try RDKafkaConfiguration.makeClient(RD_KAFKA_PRODUCER, conf: conf)
        do {
            core = try ProducerCore(handle: rk, context: context, logger: logger, closeTimeout: configuration.closeTimeout)
        } catch {
            rd_kafka_destroy(rk)
            throw error
        }
        producerThread = ProducerLoop.start(core: core)
    }

    /// Sends one record and returns where the broker stored it.
    /// - Throws: the delivery error (e.g. `_MSG_TIMED_OUT` after `messageTimeout`), or `closed`.
    public func send(_ record: KafkaOutgoingRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        guard let result = try await send(batch: [record]).first else { throw KafkaError.closed }
        return try result.get()
    }

    /// Sends records and returns one result per record, in order, once all are acknowledged or failed.
    /// While librdkafka's queue is full the producer thread waits for room; the caller just awaits.
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
        // One group: the same hand-over and wait as the reply writer's many groups.
        return await results(of: enqueue(groups: [records])[0])
    }

    /// Waits until every record handed to librdkafka so far is acknowledged or failed, on the
    /// producer's worker thread. Records of a `send(batch:)` still queued for the producer thread
    /// are not waited for; that call itself returns once they are acknowledged.
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
    /// producer thread and destroys the handle, all on a thread of its own. Idempotent.
    public func close() async {
        if !core.closeStarted.exchange(true, ordering: .acquiringAndReleasing) {
            let core = self.core
            let producerThread = self.producerThread
            KafkaThread(name: "kafka-producer-close") {
                ProducerShutdown.run(core: core, producerThread: producerThread)
            }.detach()
        }
        await core.closed.wait()
    }
}
