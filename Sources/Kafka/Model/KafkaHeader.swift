/// One Kafka record header. A header value may be null, distinct from empty.
public struct KafkaHeader: Sendable, Equatable, Hashable {
    /// The header name.
    public var name: String
    /// The header value, or `nil` for a null value.
    public var value: [UInt8]?

    /// Creates a header.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}
