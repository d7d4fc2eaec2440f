import CRdKafka

/// Turns `rd_kafka_message_t`s into `KafkaRecord`s, caching topic names by topic handle.
/// Confined to the thread that polls.
final class RDKafkaRecordReader {
    private var lastTopic: (handle: OpaquePointer, name: String)?

    /// The record in `message` (whose `err` is 0); null keys and values become `nil`.
    func record(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaRecord {
        let m = message.pointee
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        let timestamp: KafkaTimestamp?
        switch timestampType {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: timestamp = .createTime(milliseconds: milliseconds)
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: timestamp = .logAppendTime(milliseconds: milliseconds)
        default: timestamp = nil
        }
        return KafkaRecord(
            topic: topicName(m.rkt),
            partition: m.partition,
            offset: m.offset,
            key: Self.bytes(m.key, m.key_len),
            value: Self.bytes(m.payload, m.len),
            headers: Self.headers(of: message),
            timestamp: timestamp
        )
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let lastTopic, lastTopic.handle == rkt { return lastTopic.name }
        let name = String(librdkafka: rd_kafka_topic_name(rkt))
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
