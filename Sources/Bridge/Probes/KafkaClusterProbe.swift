import Foundation
import Kafka
import Logging

/// Asks the Kafka cluster a real question with the bridge's own consumer settings: the group's
/// committed offset of one input partition. That takes the bootstrap connection, the security
/// settings (`KAFKA_*`), the group coordinator and the group's read permission, and changes nothing:
/// the consumer never subscribes, so it never joins the group.
enum KafkaClusterProbe {
    /// nil when the cluster answered within `timeout`, else why not, in one line without secrets.
    static func failure(_ settings: BridgeSettings, timeout: Duration) async -> String? {
        let configuration = settings.kafkaConsumerConfiguration(required: [
            "partition.assignment.strategy": KafkaConsumerConfiguration.strategyForUnsubscribedConsumers,
        ])
        let quiet = Logger(label: "check-config.kafka", factory: { _ in SwiftLogNoOpLogHandler() })
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: configuration, logger: quiet)
        } catch {
            return "librdkafka refused the settings: \(masked(error.description, settings))"
        }
        let topic = settings.inputTopics.first ?? settings.replyTopic
        var answer: String?
        do {
            _ = try await consumer.committedOffsets([KafkaTopicPartition(topic: topic, partition: 0)], timeout: timeout)
        } catch {
            answer = "no answer from the cluster for group \(settings.groupID): \(masked(error.description, settings))"
        }
        await consumer.close()
        return answer
    }

    /// `text` with every secret `KAFKA_*` value replaced by `******`, in case librdkafka repeats one.
    static func masked(_ text: String, _ settings: BridgeSettings) -> String {
        var result = text
        for name in settings.secretKafkaPropertyNames {
            if let value = settings.kafkaProperties[name], !value.isEmpty {
                result = result.replacingOccurrences(of: value, with: BridgeSettings.mask)
            }
        }
        return result.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
