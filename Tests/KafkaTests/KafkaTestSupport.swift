import Kafka
import Logging
import Testing

/// Helpers shared by the Kafka tests: a mock cluster per test, clients tuned for the mock's timing.
enum KafkaTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .warning
        return logger
    }()

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A consumer configuration that rebalances quickly on the mock cluster.
    static func consumerConfiguration(_ cluster: KafkaMockCluster, group: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
        configuration.sessionTimeout = .seconds(6)
        configuration.fetchWaitMax = .milliseconds(20)
        return configuration
    }

    static func producer(_ cluster: KafkaMockCluster, messageTimeout: Duration = .seconds(10), properties: [String: String] = [:]) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.properties = properties
        configuration.messageTimeout = messageTimeout
        configuration.closeTimeout = .seconds(5)
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Iterates `records` until `isDone` says so or `timeout` passes; returns what arrived.
    static func collect(
        _ records: KafkaConsumerRecords, timeout: Duration = .seconds(30),
        until isDone: @escaping @Sendable ([KafkaRecord]) -> Bool
    ) async -> [KafkaRecord] {
        await withTaskGroup(of: [KafkaRecord]?.self) { group in
            group.addTask {
                var seen: [KafkaRecord] = []
                for await record in records {
                    seen.append(record)
                    if isDone(seen) { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var result: [KafkaRecord] = []
            for await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                    break
                }
                group.cancelAll()
            }
            // The sleeper may finish first: drain whatever the collector returns after cancellation.
            for await value in group { if let value { result = value } }
            return result
        }
    }

    /// Produces `count` records to `topic` with keys `key-<i % keys>` and values `value-<i>`.
    static func produce(_ producer: KafkaProducer, topic: String, count: Int, keys: Int = 16, from start: Int = 0) async throws -> [KafkaDeliveryReport] {
        let records = (start..<(start + count)).map { index in
            KafkaOutgoingRecord(topic: topic, key: bytes("key-\(index % keys)"), value: bytes("value-\(index)"))
        }
        return try await producer.send(batch: records).map { try $0.get() }
    }
}

import Synchronization

/// A mutex-protected value that closures can capture (a `Mutex` itself cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}
