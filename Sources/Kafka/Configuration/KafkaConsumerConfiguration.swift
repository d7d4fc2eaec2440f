/// Settings of a `KafkaConsumer`: typed common ones plus any librdkafka property.
///
/// The layer always sets `enable.auto.offset.store=false` (offsets are stored explicitly for
/// processed records) and `partition.assignment.strategy=cooperative-sticky` unless `properties`
/// names another strategy. `properties` are applied after the typed settings, so they win.
public struct KafkaConsumerConfiguration: Sendable {
    /// `bootstrap.servers`.
    public var bootstrapServers: String
    /// `group.id`.
    public var groupID: String
    /// `session.timeout.ms`; also how long the mock cluster waits before a rebalance.
    public var sessionTimeout: Duration?
    /// `auto.offset.reset`: where to start without a committed offset.
    public var autoOffsetReset: String = "earliest"
    /// `fetch.wait.max.ms`: how long an idle fetch waits at the broker.
    public var fetchWaitMax: Duration?
    /// Records held by the layer before it stops fetching (backpressure).
    public var bufferCapacity: Int = 10_000
    /// Bytes of keys and values held by the layer before it stops fetching, whatever the count
    /// of records: large records fill the buffer as many small ones do.
    public var bufferCapacityBytes: Int = 64 * 1024 * 1024
    /// Any librdkafka consumer property, applied after the typed ones.
    public var properties: [String: String] = [:]

    /// Creates a configuration for a consumer of `groupID` at `bootstrapServers`.
    public init(bootstrapServers: String, groupID: String) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }

    /// The `partition.assignment.strategy` for a consumer that never subscribes (it assigns
    /// partitions itself or only queries offsets), where the strategy plays no part. librdkafka
    /// 2.0.2 can abort a cooperative-sticky consumer destroyed before it ever had assignor state
    /// (`rd_kafka_sticky_assignor_state_destroy: Assertion 'assignor_state' failed`,
    /// confluentinc/librdkafka#4312); `range` has no such state.
    public static let strategyForUnsubscribedConsumers = "range"

    /// The librdkafka properties in the order they are applied.
    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("group.id", groupID),
            ("auto.offset.reset", autoOffsetReset),
        ]
        if let sessionTimeout { result.append(("session.timeout.ms", String(sessionTimeout.kafkaMilliseconds))) }
        if let fetchWaitMax { result.append(("fetch.wait.max.ms", String(fetchWaitMax.kafkaMilliseconds))) }
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if properties["partition.assignment.strategy"] == nil {
            result.append(("partition.assignment.strategy", "cooperative-sticky"))
        }
        result.append(("enable.auto.offset.store", "false"))
        return result
    }
}
