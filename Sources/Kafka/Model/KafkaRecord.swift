/// The timestamp of a consumed record, as the broker reports its kind.
public enum KafkaTimestamp: Sendable, Equatable, Hashable {
    /// Set by the producer, milliseconds since the Unix epoch.
    case createTime(milliseconds: Int64)
    /// Set by the broker when it appended the record, milliseconds since the Unix epoch.
    case logAppendTime(milliseconds: Int64)
}

/// A record read from Kafka. `key` and `value` are `nil` when null (a tombstone has a null value).
///
/// `key` and `value` are slices: the consumer copies the keys and values of records read together
/// into shared blocks of memory (one allocation for many records rather than two per record), so
/// their indices need not start at 0. Use `Array(_:)` for an array of one's own.
public struct KafkaRecord: Sendable {
    /// The topic the record was read from.
    public var topic: String
    /// The partition the record was read from.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// The key, or `nil` for a null key.
    public var key: ArraySlice<UInt8>?
    /// The value, or `nil` for a null value (a tombstone).
    public var value: ArraySlice<UInt8>?
    /// The headers in the order they were written.
    public var headers: [KafkaHeader]
    /// The timestamp, if the record has one.
    public var timestamp: KafkaTimestamp?

    /// Creates a record (the consumer creates these; tests may too).
    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestamp: KafkaTimestamp? = nil
    ) {
        self.init(
            topic: topic, partition: partition, offset: offset, keyBytes: key.map { $0[...] }, valueBytes: value.map { $0[...] },
            headers: headers, timestamp: timestamp)
    }

    /// Creates a record whose key and value are views into memory it may share with other records.
    init(
        topic: String, partition: Int32, offset: Int64, keyBytes: ArraySlice<UInt8>?, valueBytes: ArraySlice<UInt8>?,
        headers: [KafkaHeader], timestamp: KafkaTimestamp?
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = keyBytes
        self.value = valueBytes
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The record's partition.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }

    /// The offset to store once this record is processed: its offset + 1.
    public var nextOffset: KafkaTopicPartitionOffset {
        KafkaTopicPartitionOffset(topic: topic, partition: partition, offset: offset + 1)
    }
}
