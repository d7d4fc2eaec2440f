import CRdKafka

/// Turns `rd_kafka_message_t`s into `KafkaRecord`s in two steps: `record(at:in:)` on the poll
/// thread (topic, partition, offset, timestamp; topic names cached by topic handle), then
/// `readPayload(into:)` on the thread that takes the record (key, value, headers).
/// An instance is confined to the thread that polls.
final class RDKafkaRecordReader {
    private var lastTopic: (handle: OpaquePointer, name: String)?

    /// The record of the message at `index` in `batch` (whose `err` is 0), without its key,
    /// value and headers: `readPayload(into:)` copies those.
    func record(at index: Int, in batch: RDKafkaMessageBatch) -> KafkaRecord {
        let message = batch.message(at: index)
        let m = message.pointee
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        let timestamp: KafkaTimestamp?
        switch timestampType {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: timestamp = .createTime(milliseconds: milliseconds)
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: timestamp = .logAppendTime(milliseconds: milliseconds)
        default: timestamp = nil
        }
        var record = KafkaRecord(
            topic: topicName(m.rkt), partition: m.partition, offset: m.offset,
            key: nil, value: nil, timestamp: timestamp
        )
        record.unread = RDKafkaUnreadMessage(batch: batch, index: index)
        return record
    }

    /// Copies the key, value and headers of `record`'s message into it, if not done yet, and lets
    /// go of the message. Null keys and values become `nil`.
    static func readPayload(into record: inout KafkaRecord) {
        guard let unread = record.unread else { return }
        let message = unread.batch.message(at: unread.index)
        let m = message.pointee
        record.key = bytes(m.key, m.key_len)
        record.value = bytes(m.payload, m.len)
        record.headers = headers(of: message)
        record.unread = nil
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let lastTopic, lastTopic.handle == rkt { return lastTopic.name }
        let name = String(cString: rd_kafka_topic_name(rkt))
        lastTopic = (rkt, name)
        return name
    }

    private static func bytes(_ pointer: UnsafeMutableRawPointer?, _ length: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        var index = 0
        while true {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { break }
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes))
            index += 1
        }
        return headers
    }
}
