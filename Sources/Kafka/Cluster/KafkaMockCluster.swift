import CRdKafka
import Logging
import Synchronization

/// librdkafka's in-process mock Kafka cluster, for tests, benchmarks and `dev-broker`.
///
/// The 2.0.2 mock keeps only ~5 MiB per partition, auto-creates unknown topics with 4 partitions,
/// and does not serve CreateTopics: create topics with `createTopic` (or `KafkaAdmin`, which
/// routes here for a mock cluster of this process).
public final class KafkaMockCluster: Sendable {
    private struct Handles: Sendable {
        let client: RDKafkaPointer
        let cluster: RDKafkaPointer
    }

    private let handles: PThreadLock<Handles?>
    private let context: RDKafkaClientContext
    /// The comma-separated `host:port` list of the mock brokers, for `bootstrap.servers`.
    public let bootstrapServers: String

    /// Starts a mock cluster with `brokers` brokers (ids 1...brokers) on ephemeral loopback ports.
    public init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        let conf = try RDKafkaConfiguration.make([("log_level", "4")])
        let context = RDKafkaClientContext(logger: logger)
        context.install(on: conf, withRebalance: false)
        let client = try RDKafkaConfiguration.makeClient(RD_KAFKA_PRODUCER, conf: conf)
        guard let cluster = rd_kafka_mock_cluster_new(client, Int32(clamping: max(1, brokers))) else {
            rd_kafka_destroy(client)
            throw KafkaError(librdkafkaCode: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: "could not start the mock cluster")
        }
        self.context = context
        self.bootstrapServers = String(librdkafka: rd_kafka_mock_cluster_bootstraps(cluster))
        self.handles = PThreadLock(Handles(client: RDKafkaPointer(raw: client), cluster: RDKafkaPointer(raw: cluster)))
        MockClusterRegistry.shared.register(self)
    }

    private func withCluster<R: Sendable>(_ body: (OpaquePointer) -> R) -> R? {
        handles.withLock { handles -> R? in
            guard let handles else { return nil }
            return body(handles.cluster.raw)
        }
    }

    /// Creates `name` with `partitions` partitions (replication factor 1).
    public func createTopic(_ name: String, partitions: Int32) throws(KafkaError) {
        guard let err = withCluster({ rd_kafka_mock_topic_create($0, name, partitions, 1) }) else { throw KafkaError.closed }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    /// Takes broker `id` down: its connections close and it accepts none until `setBrokerUp`.
    public func setBrokerDown(_ id: Int32) {
        _ = withCluster { rd_kafka_mock_broker_set_down($0, id) }
    }

    /// Brings broker `id` back up.
    public func setBrokerUp(_ id: Int32) {
        _ = withCluster { rd_kafka_mock_broker_set_up($0, id) }
    }

    /// Makes broker `id` the leader of `topic`'s `partition`, or leaves the partition without a
    /// leader when `id` is `nil` (producers and consumers of it wait until it has one again).
    public func setPartitionLeader(topic: String, partition: Int32, broker id: Int32?) throws(KafkaError) {
        guard let err = withCluster({ rd_kafka_mock_partition_set_leader($0, topic, partition, id ?? -1) }) else { throw KafkaError.closed }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    /// Delays every response of broker `id` by `rtt`.
    public func setRoundTripTime(_ id: Int32, _ rtt: Duration) {
        _ = withCluster { rd_kafka_mock_broker_set_rtt($0, id, Int32(rtt.kafkaMilliseconds)) }
    }

    /// Makes the next requests of Kafka API `apiKey` (e.g. 0 Produce, 1 Fetch, 8 OffsetCommit) fail
    /// with `errors` (raw `rd_kafka_resp_err_t` codes), one per request, on any broker.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        _ = withCluster { cluster in
            codes.withUnsafeBufferPointer { buffer in
                rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
            }
        }
    }

    /// Stops the cluster. Idempotent. Close clients connected to it first.
    public func close() {
        guard let handles = handles.withLock({ handles -> Handles? in
            defer { handles = nil }
            return handles
        }) else { return }
        MockClusterRegistry.shared.unregister(bootstrapServers)
        rd_kafka_mock_cluster_destroy(handles.cluster.raw)
        rd_kafka_destroy(handles.client.raw)
    }
}

/// The mock clusters alive in this process, by bootstrap address, so `KafkaAdmin` can create
/// topics on them directly (the 2.0.2 mock does not answer CreateTopics).
final class MockClusterRegistry: Sendable {
    static let shared = MockClusterRegistry()
    private let clusters = PThreadLock<[String: WeakMockCluster]>([:])

    func register(_ cluster: KafkaMockCluster) {
        clusters.withLock { $0[cluster.bootstrapServers] = WeakMockCluster(cluster: cluster) }
    }

    func unregister(_ bootstrapServers: String) {
        clusters.withLock { $0[bootstrapServers] = nil }
    }

    func cluster(for bootstrapServers: String) -> KafkaMockCluster? {
        clusters.withLock { $0[bootstrapServers]?.cluster }
    }
}

/// Safety of `@unchecked Sendable`: the weak reference is only read and written inside the
/// registry's mutex, and `KafkaMockCluster` is `Sendable`.
struct WeakMockCluster: @unchecked Sendable {
    weak var cluster: KafkaMockCluster?
}
