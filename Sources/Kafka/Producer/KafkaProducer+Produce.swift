import CRdKafka

extension KafkaProducer {
    /// Records handed to librdkafka per hold of the gate: short enough that another sender or
    /// the close thread never waits long for it, long enough that locking costs nothing per record.
    static let produceChunkSize = 256

    /// How a call to `produceChunk` ended.
    enum ChunkEnd {
        case produced
        /// librdkafka's queue is full; `index` is the first record not handed over.
        case queueFull
    }

    /// Hands records from `index` on to librdkafka, at most `produceChunkSize` under one hold of
    /// the gate, and advances `index` past them. A record librdkafka refuses (other than for a
    /// full queue), or every record once closing started, is appended to `refused`.
    func produceChunk(
        _ records: [KafkaOutgoingRecord], batchID: UInt64, from index: inout Int,
        refused: inout [(UInt64, DeliveryOutcome)]
    ) -> ChunkEnd {
        let rk = core.handle.raw
        let end = min(index + Self.produceChunkSize, records.count)
        return core.gate.withLock { gate in
            // Records of one batch usually share a topic: look its handle up once per run.
            var topicName: String?
            var topic: OpaquePointer?
            var topicError = RD_KAFKA_RESP_ERR_NO_ERROR
            while index < end {
                let opaque = DeliveryTracker.opaque(batchID: batchID, index: index)
                var err = RD_KAFKA_RESP_ERR__DESTROY
                if gate.isOpen {
                    if records[index].topic != topicName {
                        topicName = records[index].topic
                        topic = ProducerCore.topic(records[index].topic, rk: rk, in: &gate)
                        let last = rd_kafka_last_error()
                        topicError = topic != nil ? RD_KAFKA_RESP_ERR_NO_ERROR
                            : last != RD_KAFKA_RESP_ERR_NO_ERROR ? last : RD_KAFKA_RESP_ERR__INVALID_ARG
                    }
                    if let topic {
                        err = RDKafkaProduce.produce(records[index], rk: rk, topic: topic, opaque: opaque)
                    } else {
                        err = topicError
                    }
                }
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL { return .queueFull }
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { refused.append((opaque, .failed(err.rawValue))) }
                index += 1
            }
            return .produced
        }
    }
}
