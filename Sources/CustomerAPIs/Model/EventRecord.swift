/// A Kafka record as the API layer sees it: no librdkafka types, so this module needs no Kafka.
public struct EventRecord: Sendable, Equatable {
    /// The topic the record was read from; it decides the event's kind.
    public var topic: String
    /// The partition within `topic`.
    public var partition: Int32
    /// The record's offset within its partition.
    public var offset: Int64
    /// The record key, `nil` when the record has none.
    public var key: [UInt8]?
    /// The record value, `nil` for a tombstone.
    public var value: [UInt8]?
    /// The record headers, in their order on the record.
    public var headers: [EventHeader]

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?, headers: [EventHeader]) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
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
