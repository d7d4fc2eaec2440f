import Kafka
import Testing
@testable import Bridge

/// docs/contract.md, "Omitted-value dead letters": a dead letter refused for its size is written
/// with an empty value and headers saying so; the original headers stay.
@Suite struct DeadLetterOmittedValueTests {
    let messages = BridgeMessages(replyTopic: "bridge-replies", deadLetterTopic: "bridge-dlq")

    @Test func theOmittedFormHasAnEmptyValueAndSaysHowLongTheOriginalWas() throws {
        let original = KafkaOutgoingRecord(
            topic: "bridge-dlq", key: Array("k".utf8), value: Array(repeating: 7, count: 1_572_864),
            headers: [KafkaHeader(name: "dlq.source.offset", value: Array("42".utf8))], timestamp: 1_700_000_000_000)
        let omitted = try #require(messages.omittingValue(of: original))
        #expect(omitted.value == [])
        #expect(omitted.key == original.key)
        #expect(omitted.timestamp == original.timestamp)
        let headers = omitted.headers.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) }
        #expect(headers.map(\.0) == ["dlq.source.offset", "dlq.value.omitted", "dlq.value.bytes"])
        #expect(headers.map(\.1) == ["42", "true", "1572864"])
        #expect(messages.omittingValue(of: omitted) == nil, "an omitted dead letter has nothing left to omit")
    }

    @Test func aReplyIsNeverShortened() {
        let reply = KafkaOutgoingRecord(topic: "bridge-replies", key: nil, value: Array("{}".utf8))
        #expect(messages.omittingValue(of: reply) == nil)
    }
}
