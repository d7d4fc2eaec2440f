import Testing
@testable import Kafka

@Suite struct KafkaSmokeTests {
    @Test func linksAgainstLibrdkafka() {
        #expect(librdkafkaVersion.hasPrefix("2."))
    }
}
