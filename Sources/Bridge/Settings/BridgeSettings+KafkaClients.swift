import Kafka

extension BridgeSettings {
    /// The configuration of a consumer for these settings: their bootstrap servers, the group
    /// (`groupID`, the bridge's own group when `nil`), and the `KAFKA_*` properties a consumer takes.
    ///
    /// - Parameters:
    ///   - defaults: Properties the caller prefers; a `KAFKA_*` setting overrides them.
    ///   - required: Properties the caller depends on; they override any `KAFKA_*` setting.
    func kafkaConsumerConfiguration(
        groupID: String? = nil, defaults: [String: String] = [:], required: [String: String] = [:]
    ) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: groupID ?? self.groupID)
        configuration.properties = defaults
            .merging(KafkaPropertyScope.forConsumer(kafkaProperties)) { $1 }
            .merging(required) { $1 }
        return configuration
    }

    /// The configuration of a producer for these settings: their bootstrap servers and the
    /// `KAFKA_*` properties a producer takes, which override `defaults`.
    func kafkaProducerConfiguration(defaults: [String: String] = [:]) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.properties = defaults.merging(KafkaPropertyScope.forProducer(kafkaProperties)) { $1 }
        return configuration
    }
}
