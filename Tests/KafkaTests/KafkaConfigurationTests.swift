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

    @Test func linksAgainstLibrdkafka2() {
        #expect(librdkafkaVersion.hasPrefix("2."))
    }
}
