import CRdKafka
import Logging
import Synchronization

/// A Kafka consumer in a group: records arrive through `records`; processed records' offsets are
/// stored explicitly (`storeOffsets`) and committed automatically or with `commit()`.
///
/// One dedicated poll thread per consumer runs librdkafka's blocking calls and the rebalance
/// callback; a second dedicated thread runs commits and offset queries.
///
/// - Important: call `close()` before dropping the last reference. A consumer is never closed in
///   a `deinit`: closing blocks and leaves the group, which must not happen implicitly.
public final class KafkaConsumer: Sendable {
    let core: ConsumerCore

    /// Creates the consumer and starts its poll thread.
    ///
    /// - Parameter rebalanceHandler: awaited on the poll thread for each assignment change. On
    ///   `.revoked` it runs before librdkafka unassigns the partitions, so it can finish or abandon
    ///   their work and store their offsets, unless `assignmentLost` is true (the group session
    ///   expired): then it must abandon their work at once and store nothing. It must not await
    ///   `close()` (that waits for it).
    /// - Throws: a `KafkaError` with librdkafka's message if a property is unknown or invalid.
    public init(
        configuration: KafkaConsumerConfiguration, logger: Logger,
        rebalanceHandler: (@Sendable (KafkaRebalanceEvent) async -> Void)? = nil
    ) throws(KafkaError) {
        let properties = configuration.librdkafkaProperties
        let conf = try RDKafkaConfiguration.make(properties)
        let context = RDKafkaClientContext(logger: logger)
        context.install(on: conf, withRebalance: true)
        let rk = try RDKafkaConfiguration.makeClient(RD_KAFKA_CONSUMER, conf: conf)
        rd_kafka_poll_set_consumer(rk)
        let strategies = properties.last { $0.0 == "partition.assignment.strategy" }?.1 ?? ""
        do {
            core = try ConsumerCore(
                handle: rk, context: context, bufferCapacity: configuration.bufferCapacity,
                bufferCapacityBytes: configuration.bufferCapacityBytes, logger: logger,
                mayUseCooperativeSticky: strategies.contains("cooperative-sticky"), rebalanceHandler: rebalanceHandler)
        } catch {
            // No consumer group was made, so destroying cannot block on leaving one.
            rd_kafka_destroy(rk)
            throw error
        }
        ConsumerPollLoop.start(core: core)
    }

    /// Joins the group for `topics` (replacing an earlier subscription).
    public func subscribe(topics: [String]) throws(KafkaError) {
        let err = core.withLiveHandle { rk, state in
            let list = RDKafkaTopicPartitionList.make(topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_subscribe(rk, list)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR { state.subscribed = true }
            return err
        }
        guard let err else { throw KafkaError.closed }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    /// The records, in order per partition. Ends only after `close()`.
    public var records: KafkaConsumerRecords {
        KafkaConsumerRecords(buffer: core.buffer)
    }

    /// Stores offsets to commit. `offset` is the NEXT offset to consume (processed record + 1).
    /// - Throws: if the consumer is closed or a partition is not assigned to it.
    public func storeOffsets(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let failure: KafkaError?? = core.withLiveHandle { rk, _ in
            let list = RDKafkaTopicPartitionList.make(offsets)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_offsets_store(rk, list)
            if let (element, partitionErr) = RDKafkaTopicPartitionList.elements(list).first(where: { $0.1 != RD_KAFKA_RESP_ERR_NO_ERROR }) {
                var error = KafkaError(partitionErr)
                error.message += " (\(element.topicPartition))"
                return error
            }
            return err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(err)
        }
        switch failure {
        case .none: throw KafkaError.closed
        case .some(.some(let error)): throw error
        case .some(.none): return
        }
    }

    /// Commits the stored offsets synchronously, on the consumer's worker thread.
    /// Having nothing to commit is not an error.
    public func commit() async throws(KafkaError) {
        let rk = core.handle
        let err = await core.worker.run { rd_kafka_commit(rk.raw, nil, 0).rawValue }
        guard let err else { throw KafkaError.closed }
        let code = rd_kafka_resp_err_t(rawValue: err)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError(code)
        }
    }

    /// Stops delivery and fetching of `partitions` until `resume`, or until they are revoked: a
    /// revoke ends their pause, so pause them again when they are assigned back if they must stay
    /// paused. A pause asked while a partition's revoke is under way is dropped with it. A pause of
    /// a partition not assigned yet is applied when it is assigned. The poll thread applies the
    /// pause before its next poll (it is woken for it): delivery of buffered records stops then
    /// (records already handed to an iterator's current batch are still delivered), and so does
    /// fetching, between two polls, so no record is lost: what was fetched is held and delivered
    /// after the resume.
    public func pause(_ partitions: [KafkaTopicPartition]) {
        core.request(.pause(Set(partitions)))
    }

    /// Restarts delivery and fetching of paused `partitions`. Resuming a partition that is not
    /// paused does nothing.
    public func resume(_ partitions: [KafkaTopicPartition]) {
        core.request(.resume(Set(partitions)))
    }

    /// The partitions assigned to this consumer now, sorted.
    public func assignment() -> [KafkaTopicPartition] {
        core.state.withLock { $0.assignment }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }

    /// The group's committed offsets (next offset to consume; negative when none), asked of the
    /// broker on the consumer's worker thread.
    public func committedOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration) async throws(KafkaError) -> [KafkaTopicPartitionOffset] {
        let rk = core.handle
        let milliseconds = timeout.kafkaMilliseconds
        let answer = await core.worker.run { () -> Result<[KafkaTopicPartitionOffset], KafkaError> in
            let list = RDKafkaTopicPartitionList.make(partitions)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_committed(rk.raw, list, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(err)) }
            return .success(RDKafkaTopicPartitionList.elements(list).map(\.0))
        }
        guard let answer else { throw KafkaError.closed }
        return try answer.get()
    }

    /// The low and high watermarks librdkafka last saw for `partition`, without asking the broker;
    /// `nil` if unknown. For a lag metric.
    public func watermarkOffsets(_ partition: KafkaTopicPartition) -> (low: Int64, high: Int64)? {
        let answer: (low: Int64, high: Int64)?? = core.withLiveHandle { rk, _ in
            var low: Int64 = -1
            var high: Int64 = -1
            let err = rd_kafka_get_watermark_offsets(rk, partition.topic, partition.partition, &low, &high)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
            return (low, high)
        }
        return answer ?? nil
    }

    /// Commits stored offsets, leaves the group (the rebalance handler sees the revoke) and frees
    /// librdkafka's resources on the poll thread; then `records` ends. Idempotent.
    public func close() async {
        if !core.closeRequested.exchange(true, ordering: .acquiringAndReleasing) {
            core.wakePollThread()
        }
        await core.closed.wait()
    }
}
