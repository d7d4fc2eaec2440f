import Testing
@testable import Kafka

/// ``KafkaError``: its stable code, the questions callers act on, and the description logs show.
@Suite struct KafkaErrorTests {
    @Test func theCodeIsLibrdkafkasSymbolicName() {
        #expect(KafkaError(librdkafkaCode: -192, message: "Local: Message timed out").code == "_MSG_TIMED_OUT")
        #expect(KafkaError.closed.code == "_DESTROY")
        #expect(KafkaError.invalidArgument("bad").code == "_INVALID_ARG")
        #expect(KafkaError(librdkafkaCode: 10, message: "too large").code == "MSG_SIZE_TOO_LARGE")
    }

    @Test func aClosedClientIsClosedHoweverTheErrorWasMade() {
        #expect(KafkaError.closed.isClosed)
        #expect(KafkaError(librdkafkaCode: -197, message: "Local: Broker handle destroyed").isClosed)
        #expect(!KafkaError(librdkafkaCode: -192, message: "Local: Message timed out").isClosed)
    }

    @Test func bothSizeRefusalsAreRecordTooLarge() {
        #expect(KafkaError(librdkafkaCode: 10, message: "").isRecordTooLarge)
        #expect(KafkaError(librdkafkaCode: 18, message: "").isRecordTooLarge)
        #expect(!KafkaError(librdkafkaCode: -192, message: "").isRecordTooLarge)
        #expect(!KafkaError.closed.isRecordTooLarge)
    }

    @Test func theDescriptionNamesTheCodeTheRawCodeAndTheMessage() {
        let error = KafkaError(librdkafkaCode: -192, message: "Local: Message timed out")
        #expect(error.description == "Kafka error _MSG_TIMED_OUT (-192): Local: Message timed out")
        #expect(error.librdkafkaCode == -192)
    }
}
