/// A partition of a topic.
public struct KafkaTopicPartition: Sendable, Hashable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32

    /// Creates a topic partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `topic[partition]`.
    public var description: String { "\(topic)[\(partition)]" }
}

/// A partition with an offset. For stores and commits the offset is the NEXT offset to consume.
public struct KafkaTopicPartitionOffset: Sendable, Hashable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The offset; for committed offsets, the next offset to consume (negative: none).
    public var offset: Int64

    /// Creates a topic partition offset.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// The partition without the offset.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }
}
