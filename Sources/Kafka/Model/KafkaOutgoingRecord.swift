/// A record to produce.
public struct KafkaOutgoingRecord: Sendable {
    /// The topic to write to.
    public var topic: String
    /// The partition, or `nil` to let the partitioner choose by key.
    public var partition: Int32?
    /// The key, or `nil` for a null key. A slice, so that a consumed record's key (or value) is
    /// sent on without a copy; its indices need not start at 0.
    public var key: ArraySlice<UInt8>?
    /// The value, or `nil` for a null value (a tombstone). A slice, like `key`.
    public var value: ArraySlice<UInt8>?
    /// Headers, written in this order.
    public var headers: [KafkaHeader]
    /// The create time in milliseconds since the Unix epoch, or `nil` for now.
    public var timestamp: Int64?

    /// Creates an outgoing record.
    public init(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestamp: Int64? = nil
    ) {
        self.init(
            topic: topic, partition: partition, keyBytes: key.map { $0[...] }, valueBytes: value.map { $0[...] },
            headers: headers, timestamp: timestamp)
    }

    /// Creates an outgoing record whose key and value are slices, e.g. of a consumed record's.
    public init(
        topic: String, partition: Int32? = nil, keyBytes: ArraySlice<UInt8>?, valueBytes: ArraySlice<UInt8>?,
        headers: [KafkaHeader] = [], timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = keyBytes
        self.value = valueBytes
        self.headers = headers
        self.timestamp = timestamp
    }
}

/// Where the broker stored an acknowledged record.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The topic written to.
    public var topic: String
    /// The partition written to.
    public var partition: Int32
    /// The offset the broker assigned (or -1 if the broker did not tell, e.g. with acks=0).
    public var offset: Int64

    /// Creates a delivery report.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
