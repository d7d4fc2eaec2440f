import APISimulator
@testable import Bridge
import CustomerAPIs
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Everything a bridge test needs, real and on loopback: librdkafka's mock cluster with the four
/// topics, the API simulator, and the settings pointing the bridge at both.
final class BridgeHarness: Sendable {
    let cluster: KafkaMockCluster
    let simulator: APISimulator
    let settings: BridgeSettings
    let logger: Logger

    static let customerTopic = "customer-events"
    static let entityTopic = "entity-events"

    private init(cluster: KafkaMockCluster, simulator: APISimulator, settings: BridgeSettings, logger: Logger) {
        self.cluster = cluster
        self.simulator = simulator
        self.settings = settings
        self.logger = logger
    }

    /// Starts the cluster and the simulator and makes settings with short timings for tests.
    static func start(
        partitions: Int32 = 4, logger: Logger = Logger(label: "bridge-test"),
        credentials: SimulatorCredentials = .default,
        configure: (inout BridgeSettings) -> Void = { _ in }
    ) async throws -> BridgeHarness {
        let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
        for topic in [customerTopic, entityTopic, "bridge-replies", "bridge-dlq"] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        let simulator = APISimulator(credentials: credentials)
        _ = try await simulator.start(host: "127.0.0.1", port: 0)
        var settings = BridgeSettings(bootstrapServers: cluster.bootstrapServers)
        settings.groupID = "bridge-test-\(UInt32.random(in: 0...UInt32.max))"
        settings.customerMetadata = CustomerMetadataAPISettings(
            baseURL: simulator.baseURL, apiID: credentials.apiId, apiSecret: Secret(credentials.apiSecret))
        settings.externalParams = ExternalParamsAPISettings(
            baseURL: simulator.baseURL, token: Secret(credentials.token))
        settings.httpPort = 0
        settings.retryBase = .milliseconds(10)
        settings.retryMax = .milliseconds(100)
        settings.maxAttempts = 3
        settings.circuitProbe = .milliseconds(500)
        settings.shutdownGrace = .seconds(5)
        settings.kafkaProperties = ["session.timeout.ms": "6000", "fetch.wait.max.ms": "20", "auto.commit.interval.ms": "200"]
        configure(&settings)
        return BridgeHarness(cluster: cluster, simulator: simulator, settings: settings, logger: logger)
    }

    /// Runs a bridge until the returned handle is stopped.
    func startBridge(settings: BridgeSettings? = nil, logger: Logger? = nil) async -> RunningBridge {
        let ports = AsyncStream<Int>.makeStream()
        let service = BridgeService(
            settings: settings ?? self.settings, logger: logger ?? self.logger, httpHost: "127.0.0.1",
            onHTTPRunning: { port in
                ports.continuation.yield(port)
                ports.continuation.finish()
            })
        let group = ServiceGroup(services: [service], logger: logger ?? self.logger)
        let task = Task { try await group.run() }
        var port = 0
        for await bound in ports.stream { port = bound }
        return RunningBridge(service: service, group: group, task: task, httpPort: port)
    }

    /// Produces records and waits for the broker's acknowledgement of each.
    func produce(_ records: [KafkaOutgoingRecord]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers), logger: logger)
        for chunk in stride(from: 0, to: records.count, by: 1000) {
            let results = try await producer.send(batch: Array(records[chunk..<min(chunk + 1000, records.count)]))
            for result in results { _ = try result.get() }
        }
        await producer.close()
    }

    /// Reads `topic` from the beginning in a fresh group until `count` records arrived or `timeout` passed.
    func read(_ topic: String, count: Int, timeout: Duration = .seconds(60)) async throws -> [KafkaRecord] {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "reader-\(UUID().uuidString)")
        configuration.properties = ["session.timeout.ms": "6000", "fetch.wait.max.ms": "20"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: [topic])
        let collected = Mutex<[KafkaRecord]>([])
        let reader = Task {
            for await record in consumer.records {
                let total = collected.withLock { records in
                    records.append(record)
                    return records.count
                }
                if total >= count { break }
            }
        }
        let deadline = ContinuousClock.now + timeout
        while collected.withLock({ $0.count }) < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if count == 0 { try await Task.sleep(for: .seconds(2)) }  // "nothing there" needs a moment to be believable
        await consumer.close()
        _ = await reader.result
        return collected.withLock { $0 }
    }

    func close() async {
        await simulator.stop()
        cluster.close()
    }
}

/// A bridge running in the test process.
struct RunningBridge: Sendable {
    let service: BridgeService
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let httpPort: Int

    /// Stops it as SIGTERM does (a graceful shutdown of its service group) and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

extension KafkaRecord {
    /// The value as a JSON object.
    var json: [String: Any] {
        guard let value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { return [:] }
        return object
    }

    func header(_ name: String) -> String? { headerText(name) }
}

/// Builds input events for tests.
enum TestEvents {
    static func customer(_ index: Int, customerID: String? = nil, userID: String? = nil) -> [UInt8] {
        var fields = [
            "\"conversationId\":\"conv-\(index)\"",
            "\"eventId\":\"evt-\(index)\"",
            "\"status\":\"new\"",
            "\"email\":\"user\(index)@example.com\"",
            "\"attributes\":{\"seq\":\(index)}",
        ]
        if let customerID { fields.append("\"customerId\":\"\(customerID)\"") }
        if let userID { fields.append("\"userId\":\"\(userID)\"") }
        return Array("{\(fields.joined(separator: ","))}".utf8)
    }

    static func entity(_ index: Int) -> [UInt8] {
        let suffix = String(format: "%012x", index)
        return Array("""
            {"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","eventId":"ent-\(index)",\
            "entity":{"type":"subscriber","id":"a5ad9f06-0164-4475-8919-\(suffix)"},\
            "params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"\(index)"}]}
            """.utf8)
    }

    static func record(_ topic: String, key: String?, value: [UInt8]?, headers: [KafkaHeader] = []) -> KafkaOutgoingRecord {
        KafkaOutgoingRecord(topic: topic, key: key.map { Array($0.utf8) }, value: value, headers: headers)
    }
}
