import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Logging
import TestSupport

/// One scenario's world, every part a separate process as in production: `kafka-api-bridge
/// dev-broker` (librdkafka's mock cluster) with the four topics, `kafka-api-bridge simulate-apis`,
/// and any number of `kafka-api-bridge run` processes pointed at both. A scenario that changes
/// the cluster while it runs (a partition's leader) hosts the mock cluster in the test process
/// instead (`startWithClusterInProcess`); the bridges still reach it over loopback.
final class ResilienceRig: Sendable {
    static let customerTopic = "customer-events"
    static let entityTopic = "entity-events"
    static let replyTopic = "bridge-replies"
    static let dlqTopic = "bridge-dlq"

    /// The dev-broker process, unless the cluster is in this process.
    let broker: ChildProcess?
    /// The mock cluster, when it is hosted in this process.
    let cluster: KafkaMockCluster?
    let simulator: ChildProcess
    let bootstrapServers: String
    let simulatorURL: String
    let partitions: Int32
    let logger: Logger

    private init(
        broker: ChildProcess?, cluster: KafkaMockCluster? = nil, simulator: ChildProcess, bootstrapServers: String,
        simulatorURL: String, partitions: Int32
    ) {
        self.broker = broker
        self.cluster = cluster
        self.simulator = simulator
        self.bootstrapServers = bootstrapServers
        self.simulatorURL = simulatorURL
        self.partitions = partitions
        var logger = Logger(label: "resilience")
        logger.logLevel = .critical
        self.logger = logger
    }

    /// Starts dev-broker with every topic in `partitions` partitions (the mock keeps only ~5 MiB per
    /// partition, so big scenarios need many) and the API simulator on a free port.
    static func start(partitions: Int32) async throws -> ResilienceRig {
        let topics = [customerTopic, entityTopic, replyTopic, dlqTopic].flatMap { ["--topic", "\($0):\(partitions)"] }
        let broker = try ChildProcess.scenario(["dev-broker"] + topics)
        let simulator = try ChildProcess.scenario(["simulate-apis", "--host", "127.0.0.1", "--port", "0", "--record", "false", "--log-level", "error"])
        do {
            let bootstrap = try await broker.value(after: "bootstrap.servers=")
            let url = try await simulator.value(after: "API simulator listening on ")
            return ResilienceRig(broker: broker, simulator: simulator, bootstrapServers: bootstrap, simulatorURL: url, partitions: partitions)
        } catch {
            await broker.ensureStopped()
            await simulator.ensureStopped()
            throw error
        }
    }

    /// Starts the mock cluster in this process with every topic in `partitions` partitions, and
    /// the API simulator on a free port.
    static func startWithClusterInProcess(partitions: Int32) async throws -> ResilienceRig {
        var logger = Logger(label: "resilience-cluster")
        logger.logLevel = .critical
        let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
        let simulator: ChildProcess
        do {
            for topic in [customerTopic, entityTopic, replyTopic, dlqTopic] {
                try cluster.createTopic(topic, partitions: partitions)
            }
            simulator = try ChildProcess.scenario(["simulate-apis", "--host", "127.0.0.1", "--port", "0", "--record", "false", "--log-level", "error"])
        } catch {
            cluster.close()
            throw error
        }
        do {
            let url = try await simulator.value(after: "API simulator listening on ")
            return ResilienceRig(
                broker: nil, cluster: cluster, simulator: simulator, bootstrapServers: cluster.bootstrapServers,
                simulatorURL: url, partitions: partitions)
        } catch {
            await simulator.ensureStopped()
            cluster.close()
            throw error
        }
    }

    /// The environment of a `run` process: both APIs on the simulator, short Kafka timings.
    func bridgeEnvironment(group: String, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "KAFKA_BOOTSTRAP_SERVERS": bootstrapServers,
            "BRIDGE_GROUP_ID": group,
            "ASAPP_BASE_URL": simulatorURL,
            "ASAPP_API_ID": "sim-api-id",
            "ASAPP_API_SECRET": "sim-api-secret",
            "EXTERNAL_PARAMS_BASE_URL": simulatorURL,
            "EXTERNAL_PARAMS_TOKEN": "sim-bearer-token",
            "BRIDGE_HTTP_PORT": "0",
            // RESILIENCE_BRIDGE_LOG_LEVEL (e.g. debug) lets a scenario's bridges say more.
            "BRIDGE_LOG_LEVEL": ProcessInfo.processInfo.environment["RESILIENCE_BRIDGE_LOG_LEVEL"] ?? "warning",
            "BRIDGE_LOG_FORMAT": "text",
            "KAFKA_SESSION_TIMEOUT_MS": "6000",
            "KAFKA_FETCH_WAIT_MAX_MS": "20",
        ]
        // RESILIENCE_KAFKA_DEBUG (librdkafka's `debug` contexts, e.g. cgrp,topic) traces the consumer.
        if let debug = ProcessInfo.processInfo.environment["RESILIENCE_KAFKA_DEBUG"], !debug.isEmpty {
            environment["KAFKA_DEBUG"] = debug
        }
        environment.merge(extra) { $1 }
        return environment
    }

    /// Starts one `kafka-api-bridge run`.
    func startBridge(group: String, _ extra: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess.scenario(["run"], environment: bridgeEnvironment(group: group, extra))
    }

    /// Produces `records` from the test process and returns where the broker stored each, in order.
    func produce(_ records: [KafkaOutgoingRecord]) async throws -> [SourcePosition] {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.lingerMs = 20
        // Room for the records over librdkafka's 1,000,000-byte default some scenarios feed.
        configuration.properties = ["message.max.bytes": "4000000"]
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        var positions: [SourcePosition] = []
        positions.reserveCapacity(records.count)
        do {
            for start in stride(from: 0, to: records.count, by: 5_000) {
                let batch = Array(records[start..<min(start + 5_000, records.count)])
                for result in try await producer.send(batch: batch) {
                    let report = try result.get()
                    positions.append(SourcePosition(topic: report.topic, partition: report.partition, offset: report.offset))
                }
            }
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
        return positions
    }

    /// Sends a JSON control request to the simulator (`/_control/...`) and returns the status.
    @discardableResult
    func control(_ method: String, _ path: String, json: String? = nil) async throws -> Int {
        guard let url = URL(string: simulatorURL + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "content-type")
        }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// The group's committed offsets (next offset to read) of every input partition, -1 for none.
    func committedOffsets(group: String) async throws -> [SourcePosition] {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: group)
        configuration.properties = ["session.timeout.ms": "6000"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let partitions = [Self.customerTopic, Self.entityTopic].flatMap { topic in
            (0..<self.partitions).map { KafkaTopicPartition(topic: topic, partition: $0) }
        }
        do {
            let offsets = try await consumer.committedOffsets(partitions, timeout: .seconds(10))
            await consumer.close()
            return offsets.map { SourcePosition(topic: $0.topic, partition: $0.partition, offset: $0.offset) }
        } catch {
            await consumer.close()
            throw error
        }
    }

    /// Stops the simulator and the broker.
    func stop() async {
        await simulator.ensureStopped()
        await broker?.ensureStopped()
        cluster?.close()
        simulator.removeLog()
        broker?.removeLog()
    }
}

/// Where an input record is stored: what a reply's `source` and a dead letter's `dlq.source.*` name.
struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    var topic: String
    var partition: Int32
    var offset: Int64

    var description: String { "\(topic)/\(partition)/\(offset)" }
}
