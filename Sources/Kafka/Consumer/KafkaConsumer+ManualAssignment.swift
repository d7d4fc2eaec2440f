import CRdKafka

/// Reading chosen partitions from chosen offsets without joining the group's rebalancing, and
/// committing explicit positions: what `replay` needs to read a topic up to fixed end offsets and
/// keep its progress in a group of its own.
extension KafkaConsumer {
    /// Reads exactly `offsets` (partition and the next offset to read), replacing any assignment.
    /// The consumer must not also `subscribe`.
    public func assign(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        let err = core.withLiveHandle { rk, state in
            let list = RDKafkaTopicPartitionList.make(offsets)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_assign(rk, list)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                state.assignment = Set(offsets.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })
                state.assignmentChanges += 1
            }
            return err
        }
        guard let err else { throw KafkaError.closed }
        if err == RD_KAFKA_RESP_ERR_NO_ERROR {
            core.request(.assignedManually(Set(offsets.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })))
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    /// Commits exactly `offsets` (next offsets to read) for this consumer's group, synchronously on
    /// the consumer's worker thread.
    public func commit(offsets: [KafkaTopicPartitionOffset]) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let rk = core.handle
        let err = await core.worker.run { () -> Int32 in
            let list = RDKafkaTopicPartitionList.make(offsets)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            return rd_kafka_commit(rk.raw, list, 0).rawValue
        }
        guard let err else { throw KafkaError.closed }
        let code = rd_kafka_resp_err_t(rawValue: err)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code) }
    }

    /// The partition count of `topic`, asked of the broker.
    public func partitionCount(topic: String, timeout: Duration) async throws(KafkaError) -> Int32 {
        let rk = core.handle
        let milliseconds = timeout.kafkaMilliseconds
        let answer = await core.worker.run { () -> Result<Int32, KafkaError> in
            guard let handle = rd_kafka_topic_new(rk.raw, topic, nil) else {
                return .failure(KafkaError(rd_kafka_last_error()))
            }
            defer { rd_kafka_topic_destroy(handle) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(rk.raw, 0, handle, &metadata, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { return .failure(KafkaError(err)) }
            defer { rd_kafka_metadata_destroy(metadata) }
            guard metadata.pointee.topic_cnt > 0, let topics = metadata.pointee.topics else {
                return .failure(KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC))
            }
            let entry = topics[0]
            guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(entry.err)) }
            return .success(entry.partition_cnt)
        }
        guard let answer else { throw KafkaError.closed }
        return try answer.get()
    }

    /// The low and high watermarks of `partition`, asked of the broker.
    public func queryWatermarkOffsets(_ partition: KafkaTopicPartition, timeout: Duration) async throws(KafkaError) -> (low: Int64, high: Int64) {
        let rk = core.handle
        let milliseconds = timeout.kafkaMilliseconds
        let answer = await core.worker.run { () -> Result<(low: Int64, high: Int64), KafkaError> in
            var low: Int64 = -1
            var high: Int64 = -1
            let err = rd_kafka_query_watermark_offsets(rk.raw, partition.topic, partition.partition, &low, &high, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(err)) }
            return .success((low, high))
        }
        guard let answer else { throw KafkaError.closed }
        return try answer.get()
    }
}
