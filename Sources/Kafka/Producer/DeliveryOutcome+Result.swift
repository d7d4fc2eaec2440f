import CRdKafka

extension DeliveryOutcome {
    /// The outcome of a record sent to `topic` as the public result. A record without a report
    /// (the producer closed first) or refused because the producer was closing fails with `closed`.
    func result(topic: String) -> Result<KafkaDeliveryReport, KafkaError> {
        if code == RD_KAFKA_RESP_ERR_NO_ERROR.rawValue {
            return .success(KafkaDeliveryReport(topic: topic, partition: partition, offset: offset))
        }
        if isPending || code == RD_KAFKA_RESP_ERR__DESTROY.rawValue { return .failure(KafkaError.closed) }
        return .failure(KafkaError(rd_kafka_resp_err_t(rawValue: code)))
    }
}
