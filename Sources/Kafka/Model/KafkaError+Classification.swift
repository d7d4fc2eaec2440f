import CRdKafka

extension KafkaError {
    /// Whether the broker or the producer refused a record for its own size
    /// (`MSG_SIZE_TOO_LARGE`, `RECORD_LIST_TOO_LARGE`): sending the same record again can never
    /// succeed, unlike a failure of the path to the broker (no leader, timeout, authorization),
    /// which may pass.
    public var isRecordTooLarge: Bool {
        hasCode(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) || hasCode(RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE)
    }

    /// Whether the producer was closed before the record was acknowledged.
    public var isClosed: Bool {
        hasCode(RD_KAFKA_RESP_ERR__DESTROY)
    }
}
