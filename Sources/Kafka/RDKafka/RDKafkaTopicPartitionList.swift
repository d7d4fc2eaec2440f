import CRdKafka

/// Conversions between Swift partitions and `rd_kafka_topic_partition_list_t`.
enum RDKafkaTopicPartitionList {
    /// A new list; the caller destroys it with `rd_kafka_topic_partition_list_destroy`.
    static func make(_ partitions: [KafkaTopicPartition], offset: Int64 = Int64(RD_KAFKA_OFFSET_INVALID)) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = newList(capacity: partitions.count)
        for tp in partitions {
            // Never NULL: the list grows with `rd_realloc`, which aborts when memory runs out.
            if let element = rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition) { element.pointee.offset = offset }
        }
        return list
    }

    /// A new list with offsets; the caller destroys it.
    static func make(_ offsets: [KafkaTopicPartitionOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = newList(capacity: offsets.count)
        for tpo in offsets {
            if let element = rd_kafka_topic_partition_list_add(list, tpo.topic, tpo.partition) { element.pointee.offset = tpo.offset }
        }
        return list
    }

    /// An empty list with room for `capacity` elements. librdkafka allocates it with `rd_calloc`,
    /// which aborts the process itself when memory runs out, so NULL cannot come back; the guard
    /// says so instead of force-unwrapping.
    private static func newList(capacity: Int) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        guard let list = rd_kafka_topic_partition_list_new(Int32(clamping: max(1, capacity))) else {
            fatalError("librdkafka could not allocate a topic partition list")
        }
        return list
    }

    /// Calls `body` with a temporary list of `partitions`.
    static func with<R>(_ partitions: [KafkaTopicPartition], _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> R) -> R {
        let list = make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return body(list)
    }

    /// The elements of `list`, each with its offset and per-partition error.
    static func elements(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [(KafkaTopicPartitionOffset, rd_kafka_resp_err_t)] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elems = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elems[index]
            let topic = element.topic.map { String(cString: $0) } ?? ""
            return (KafkaTopicPartitionOffset(topic: topic, partition: element.partition, offset: element.offset), element.err)
        }
    }

    /// The partitions of `list`.
    static func partitions(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        elements(list).map { $0.0.topicPartition }
    }
}
