import APISimulator
import Bridge
import CustomerAPIs
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// `kafka-api-bridge demo`: librdkafka's mock cluster and the API simulator in this process, the
/// sample events of every outcome, the bridge, and then the replies and dead letters as tables.
struct DemoRun {
    let logger: Logger
    let customerTopic = "customer-events"
    let entityTopic = "entity-events"

    func run() async throws {
        let started = ContinuousClock.now
        let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
        defer { cluster.close() }
        for topic in [customerTopic, entityTopic, "bridge-replies", "bridge-dlq"] {
            try cluster.createTopic(topic, partitions: 2)
        }
        var simulatorLogger = logger
        simulatorLogger.logLevel = .critical
        let simulator = APISimulator(logger: simulatorLogger)
        let apiPort = try await simulator.start(host: "127.0.0.1", port: 0)
        print("in-process Kafka (librdkafka mock cluster) at \(cluster.bootstrapServers); API simulator at http://127.0.0.1:\(apiPort)")

        // The simulator's faults pick out the demo's failing events by the text they carry.
        simulator.addFault(.failFor(.seconds(3600), status: 422, api: .customerMetadata, matching: "unknown-user"))
        simulator.addFault(.failFor(.seconds(3600), status: 200, code: "CUSTOMER_1024", api: .externalParams, matching: "nak-me"))
        simulator.addFault(.failNext(1, status: 503, api: .externalParams, matching: "flaky"))
        simulator.addFault(.failNext(1, status: 401, api: .customerMetadata, matching: "during-outage"))

        var settings = BridgeSettings(bootstrapServers: cluster.bootstrapServers)
        settings.groupID = "kafka-api-bridge-demo"
        settings.customerMetadata = CustomerMetadataAPISettings(
            baseURL: simulator.baseURL, apiID: SimulatorCredentials.default.apiId,
            apiSecret: Secret(SimulatorCredentials.default.apiSecret))
        settings.externalParams = ExternalParamsAPISettings(
            baseURL: simulator.baseURL, token: Secret(SimulatorCredentials.default.token))
        settings.httpPort = 0
        settings.retryBase = .milliseconds(100)
        settings.retryMax = .seconds(1)
        settings.circuitProbe = .seconds(1)
        settings.kafkaProperties = ["session.timeout.ms": "6000", "fetch.wait.max.ms": "20", "auto.commit.interval.ms": "200"]

        let events = DemoEvent.all(customerTopic: customerTopic, entityTopic: entityTopic)
        let replies = try TopicCollector(topic: "bridge-replies", bootstrapServers: cluster.bootstrapServers, logger: logger)
        let deadLetters = try TopicCollector(topic: "bridge-dlq", bootstrapServers: cluster.bootstrapServers, logger: logger)

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers), logger: logger)
        var sent: [String: DemoEvent] = [:]  // "topic/partition/offset" → event
        for event in events {
            let report = try await producer.send(event.record)
            sent["\(report.topic)/\(report.partition)/\(report.offset)"] = event
        }
        await producer.close()
        print("produced \(events.count) sample events; starting the bridge\n")

        let service = BridgeService(settings: settings, logger: logger, httpHost: "127.0.0.1")
        let serviceGroup = ServiceGroup(services: [service], logger: logger)
        let bridge = Task { try await serviceGroup.run() }
        let expectedDeadLetters = 4
        let got = await replies.wait(for: events.count, timeout: .seconds(12))
        _ = await deadLetters.wait(for: expectedDeadLetters, timeout: .seconds(3))

        var table = TextTable(columns: ["sample event", "topic", "status", "attempts", "http", "error", "eventId"])
        for reply in got.sorted(by: { ($0.offsetKey(in: sent)?.shows ?? "") < ($1.offsetKey(in: sent)?.shows ?? "") }) {
            let json = reply.jsonObject
            let error = json["error"] as? [String: Any]
            let source = json["source"] as? [String: Any]
            table.add([
                reply.offsetKey(in: sent)?.shows ?? "?",
                source?["topic"] as? String ?? "",
                json["status"] as? String ?? "",
                (json["attempts"] as? Int).map(String.init) ?? "",
                (json["httpStatus"] as? Int).map(String.init) ?? "-",
                error?["code"] as? String ?? "-",
                json["eventId"] as? String ?? "",
            ])
        }
        print("Replies (bridge-replies), one per input event:\n\(table.rendered)\n")

        var dlqTable = TextTable(columns: ["dlq.event.id", "dlq.status", "dlq.error.code", "dlq.source", "dlq.error.message"])
        for letter in deadLetters.records {
            dlqTable.add([
                letter.headerText("dlq.event.id") ?? "",
                letter.headerText("dlq.status") ?? "",
                letter.headerText("dlq.error.code") ?? "",
                "\(letter.headerText("dlq.source.topic") ?? "")/\(letter.headerText("dlq.source.partition") ?? "")/\(letter.headerText("dlq.source.offset") ?? "")",
                String((letter.headerText("dlq.error.message") ?? "").prefix(60)),
            ])
        }
        print("Dead letters (bridge-dlq), the original records with dlq.* headers:\n\(dlqTable.rendered)\n")

        // The operator fixes what broke (here: the simulator stops failing) and replays the failed ones.
        simulator.clearFaults()
        var options = ReplayOptions()
        options.status = "failed"
        print("the APIs are fixed; kafka-api-bridge replay --status failed:")
        let summary = try await DeadLetterReplay(settings: settings, options: options, logger: logger).run()
        summary.lines(dryRun: false).forEach { print("  " + $0) }
        let afterReplay = await replies.wait(for: got.count + summary.replayed, timeout: .seconds(5))
        var replayTable = TextTable(columns: ["eventId", "status", "attempts", "http", "result"])
        for reply in afterReplay.dropFirst(got.count) {
            let json = reply.jsonObject
            let result = (json["result"] as? [String: Any])?.map { "\($0.key)=\($0.value)" }.joined() ?? "-"
            replayTable.add([
                json["eventId"] as? String ?? "", json["status"] as? String ?? "",
                (json["attempts"] as? Int).map(String.init) ?? "", (json["httpStatus"] as? Int).map(String.init) ?? "-", result,
            ])
        }
        print("Replies to the replayed events (same event ids as before):\n\(replayTable.rendered)\n")
        await serviceGroup.triggerGracefulShutdown()
        try await bridge.value

        await replies.close()
        await deadLetters.close()
        await simulator.stop()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("demo finished in \(String(format: "%.1f", seconds)) s: \(got.count) replies, \(deadLetters.records.count) dead letters, \(afterReplay.count - got.count) replayed and answered")
        guard got.count == events.count else {
            throw DemoFailure(message: "expected \(events.count) replies, got \(got.count)")
        }
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Reads a topic from its beginning in a group of its own, in the background.
final class TopicCollector: Sendable {
    private let consumer: KafkaConsumer
    private let collected: RecordList
    private let reader: Task<Void, Never>

    init(topic: String, bootstrapServers: String, logger: Logger) throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: "demo-reader-\(topic)-\(UInt32.random(in: 0...UInt32.max))")
        configuration.properties = ["session.timeout.ms": "6000", "fetch.wait.max.ms": "20"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: [topic])
        self.consumer = consumer
        let collected = RecordList()
        self.collected = collected
        reader = Task {
            for await record in consumer.records {
                collected.append(record)
            }
        }
    }

    var records: [KafkaRecord] { collected.all }

    /// Waits until `count` records arrived or `timeout` passed, and returns what arrived.
    func wait(for count: Int, timeout: Duration) async -> [KafkaRecord] {
        let deadline = ContinuousClock.now + timeout
        while records.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return records
    }

    func close() async {
        await consumer.close()
        _ = await reader.value
    }
}

/// Records gathered by a background reader.
final class RecordList: Sendable {
    private let storage = Mutex<[KafkaRecord]>([])
    func append(_ record: KafkaRecord) { storage.withLock { $0.append(record) } }
    var all: [KafkaRecord] { storage.withLock { $0 } }
}

extension KafkaRecord {
    var jsonObject: [String: Any] {
        guard let value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { return [:] }
        return object
    }

    /// The demo event this reply answers, found by its source position.
    func offsetKey(in sent: [String: DemoEvent]) -> DemoEvent? {
        guard let source = jsonObject["source"] as? [String: Any] else { return nil }
        return sent["\(source["topic"] ?? "")/\(source["partition"] ?? "")/\(source["offset"] ?? "")"]
    }
}
