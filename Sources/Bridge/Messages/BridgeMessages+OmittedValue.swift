import Kafka

extension BridgeMessages {
    /// The dead letter `deadLetter` without its value, for when the broker or the producer refuses
    /// it for its size (docs/contract.md, "Omitted-value dead letters"): an empty value and the
    /// headers `dlq.value.omitted: true` and `dlq.value.bytes: <the original value's length>`; the
    /// original stays findable at its `dlq.source.*` position. `nil` when `deadLetter` is not a
    /// dead letter or has no value left to omit.
    func omittingValue(of deadLetter: KafkaOutgoingRecord) -> KafkaOutgoingRecord? {
        guard deadLetter.topic == deadLetterTopic,
              !deadLetter.headers.contains(where: { $0.name == DeadLetterHeader.valueOmitted })
        else { return nil }
        var omitted = deadLetter
        omitted.value = []
        omitted.headers.append(KafkaHeader(name: DeadLetterHeader.valueOmitted, value: Array("true".utf8)))
        omitted.headers.append(KafkaHeader(name: DeadLetterHeader.valueBytes, value: Array(String(deadLetter.value?.count ?? 0).utf8)))
        return omitted
    }
}
