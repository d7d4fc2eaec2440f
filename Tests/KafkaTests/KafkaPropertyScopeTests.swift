import Testing
import Kafka

@Suite struct KafkaPropertyScopeTests {
    let properties = [
        "session.timeout.ms": "6000", "fetch.wait.max.ms": "10", "linger.ms": "5", "acks": "all",
        "security.protocol": "SASL_SSL", "client.id": "bridge-1",
    ]

    @Test func theProducerGetsNoConsumerOnlyProperty() {
        #expect(KafkaPropertyScope.forProducer(properties) == [
            "linger.ms": "5", "acks": "all", "security.protocol": "SASL_SSL", "client.id": "bridge-1",
        ])
    }

    @Test func theConsumerGetsNoProducerOnlyProperty() {
        #expect(KafkaPropertyScope.forConsumer(properties) == [
            "session.timeout.ms": "6000", "fetch.wait.max.ms": "10", "security.protocol": "SASL_SSL", "client.id": "bridge-1",
        ])
    }

    @Test func noPropertyIsBothConsumerAndProducerOnly() {
        #expect(KafkaPropertyScope.consumerOnly.isDisjoint(with: KafkaPropertyScope.producerOnly))
    }
}
