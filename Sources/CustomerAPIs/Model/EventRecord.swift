/// A Kafka record as the API layer sees it: no librdkafka types, so this module needs no Kafka.
public struct EventRecord: Sendable, Equatable {
    /// The topic the record was read from; it decides the event's kind.
    public var topic: String
    /// The partition within `topic`.
    public var partition: Int32
    /// The record's offset within its partition.
    public var offset: Int64
    /// The record key, `nil` when the record has none. A slice: its indices need not start at 0.
    public var key: ArraySlice<UInt8>?
    /// The record value, `nil` for a tombstone. A slice: its indices need not start at 0.
    public var value: ArraySlice<UInt8>?
    /// The record headers, in their order on the record.
    public var headers: [EventHeader]

    /// Creates a record from arrays of its own.
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?, headers: [EventHeader]) {
        self.init(topic: topic, partition: partition, offset: offset, keyBytes: key.map { $0[...] }, valueBytes: value.map { $0[...] }, headers: headers)
    }

    /// Creates a record whose key and value are views into memory shared with other records (as the
    /// Kafka consumer reads them), without copying them.
    public init(
        topic: String, partition: Int32, offset: Int64, keyBytes: ArraySlice<UInt8>?, valueBytes: ArraySlice<UInt8>?,
        headers: [EventHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = keyBytes
        self.value = valueBytes
        self.headers = headers
    }

    /// The value of the first header named `name` (case-sensitive, as Kafka header names are), as UTF-8 text.
    public func headerText(_ name: String) -> String? {
        guard let header = headers.first(where: { $0.name == name }), let value = header.value else { return nil }
        return String(validating: value, as: UTF8.self)
    }
}

/// One record header. Kafka allows a header without a value.
public struct EventHeader: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}
