import CRdKafka

extension ProducerLoop {
    /// Hands `batch.records[batch.next..<end]` to librdkafka under one hold of the gate and
    /// advances `batch.next` past them; returns true if it stopped early at a full queue. A record
    /// librdkafka refuses for another reason, or every record once closing started, is appended
    /// to `refused`.
    static func handOver(
        _ batch: inout ProducerCore.QueuedBatch, upTo end: Int, core: ProducerCore,
        refused: inout [(UInt64, DeliveryOutcome)]
    ) -> Bool {
        let rk = core.handle.raw
        let records = batch.records
        return core.gate.withLock { gate in
            // Records of one batch usually share a topic: look its handle up once per run.
            var topicName: String?
            var topic: OpaquePointer?
            var topicError = RD_KAFKA_RESP_ERR_NO_ERROR
            while batch.next < end {
                let index = batch.next
                let opaque = DeliveryTracker.opaque(batchID: batch.batchID, index: index)
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
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL { return true }
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { refused.append((opaque, .failed(err.rawValue))) }
                batch.next = index + 1
            }
            return false
        }
    }
}
