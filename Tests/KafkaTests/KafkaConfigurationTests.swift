import Kafka
import Testing

@Suite struct KafkaConfigurationTests {
    @Test func unknownPropertyFailsWithLibrdkafkasMessage() {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "g")
        configuration.properties["no.such.property"] = "1"
        #expect {
            _ = try KafkaConsumer(configuration: configuration, logger: KafkaTestSupport.logger)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.message.contains("No such configuration property") && error.message.contains("no.such.property")
        }
    }

    @Test func invalidValueFailsWithLibrdkafkasMessage() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["acks"] = "banana"
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.message.contains("acks")
        }
    }

    /// librdkafka takes a group id of white space but makes no consumer group for it; the layer
    /// used to force-unwrap the missing consumer queue and trap.
    @Test(arguments: [" ", "\t", "   "])
    func aGroupIDLibrdkafkaCannotUseIsAClearError(_ groupID: String) {
        let configuration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: groupID)
        #expect {
            _ = try KafkaConsumer(configuration: configuration, logger: KafkaTestSupport.logger)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.message.contains("group.id")
        }
    }

    @Test func linksAgainstLibrdkafka2() {
        #expect(librdkafkaVersion.hasPrefix("2."))
    }
}
