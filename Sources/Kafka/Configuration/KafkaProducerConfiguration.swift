/// Settings of a `KafkaProducer`: typed common ones plus any librdkafka property.
///
/// `properties` are applied after the typed settings, so they win. Unless given there, the layer
/// sets `queue.buffering.max.messages=1000000` so large batches do not fill librdkafka's queue.
public struct KafkaProducerConfiguration: Sendable {
    /// `bootstrap.servers`.
    public var bootstrapServers: String
    /// `message.timeout.ms`: how long a record may wait for acknowledgement before `send` fails.
    public var messageTimeout: Duration?
    /// `linger.ms`: how long records wait to form a batch.
    public var lingerMs: Int? = 5
    /// How long `close()` waits for outstanding records before purging them.
    public var closeTimeout: Duration = .seconds(30)
    /// Any librdkafka producer property, applied after the typed ones.
    public var properties: [String: String] = [:]

    /// Creates a configuration for a producer to `bootstrapServers`.
    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// The librdkafka properties in the order they are applied.
    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [("bootstrap.servers", bootstrapServers)]
        if let messageTimeout { result.append(("message.timeout.ms", String(messageTimeout.kafkaMilliseconds))) }
        if let lingerMs { result.append(("linger.ms", String(lingerMs))) }
        if properties["queue.buffering.max.messages"] == nil {
            result.append(("queue.buffering.max.messages", "1000000"))
        }
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }
}
