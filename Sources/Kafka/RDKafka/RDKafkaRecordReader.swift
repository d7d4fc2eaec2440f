import CRdKafka

/// Turns `rd_kafka_message_t`s into `KafkaRecord`s, caching topic names by topic handle.
/// Confined to the thread that polls.
///
/// The keys and values of consecutive messages of one partition are copied into one shared block
/// of at most `blockBytes` (a larger message gets a block of its own), and the records hold slices
/// of it. An array per key and value cost two allocations per record, each freed later by the
/// thread that drops the record (contending for the poll thread's malloc arena), and that cost
/// more than the copying: in `bench kafka` (1,000,000 records of 300 bytes, 128 partitions, A/B
/// in one sitting, 2026-12-07) the Swift consumer took 0.82-0.95 s with arrays, 0.87-0.94 s with
/// arrays allocated but nothing copied, and 0.48-0.76 s with shared blocks. Blocks are per
/// partition and small, so a record kept long (an event waiting for its API) keeps at most one
/// small block of its neighbours alive.
final class RDKafkaRecordReader {
    /// The most bytes of keys and values copied into one shared block.
    static let blockBytes = 32 * 1024

    private var lastTopic: (handle: OpaquePointer, name: String)?

    /// Appends the records in `messages` (each with `err` 0) to `records`, in order; null keys and
    /// values become `nil`. The messages are not destroyed.
    func read(_ messages: UnsafeBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>, into records: inout [KafkaRecord]) {
        records.reserveCapacity(records.count + messages.count)
        var start = 0
        while start < messages.count {
            let (end, bytes) = blockEnd(messages, from: start)
            readBlock(UnsafeBufferPointer(rebasing: messages[start..<end]), bytes: bytes, into: &records)
            start = end
        }
    }

    /// The end of the run of messages from `start` that shares one block: same partition, at most
    /// `blockBytes` together (always at least one message), and their bytes of keys and values.
    private func blockEnd(
        _ messages: UnsafeBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>, from start: Int
    ) -> (end: Int, bytes: Int) {
        let first = messages[start].pointee
        var bytes = Self.payloadBytes(first)
        var end = start + 1
        while end < messages.count {
            let next = messages[end].pointee
            guard next.rkt == first.rkt, next.partition == first.partition else { break }
            let nextBytes = Self.payloadBytes(next)
            guard bytes + nextBytes <= Self.blockBytes else { break }
            bytes += nextBytes
            end += 1
        }
        return (end, bytes)
    }

    private static func payloadBytes(_ message: rd_kafka_message_t) -> Int {
        (message.key == nil ? 0 : message.key_len) + (message.payload == nil ? 0 : message.len)
    }

    /// Copies the keys and values of `messages`, `bytes` in all, into one block and appends their records.
    private func readBlock(
        _ messages: UnsafeBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>, bytes: Int, into records: inout [KafkaRecord]
    ) {
        let block = [UInt8](unsafeUninitializedCapacity: bytes) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            var position = 0
            for message in messages {
                let m = message.pointee
                if let key = m.key, m.key_len > 0 {
                    UnsafeMutableRawPointer(base + position).copyMemory(from: key, byteCount: m.key_len)
                    position += m.key_len
                }
                if let payload = m.payload, m.len > 0 {
                    UnsafeMutableRawPointer(base + position).copyMemory(from: payload, byteCount: m.len)
                    position += m.len
                }
            }
            initialized = position
        }
        var position = 0
        func slice(_ pointer: UnsafeMutableRawPointer?, _ length: Int) -> ArraySlice<UInt8>? {
            guard pointer != nil else { return nil }
            defer { position += length }
            return block[position..<(position + length)]
        }
        for message in messages {
            let m = message.pointee
            let key = slice(m.key, m.key_len)
            let value = slice(m.payload, m.len)
            records.append(KafkaRecord(
                topic: topicName(m.rkt), partition: m.partition, offset: m.offset, keyBytes: key, valueBytes: value,
                headers: Self.headers(of: message), timestamp: Self.timestamp(of: message)))
        }
    }

    private static func timestamp(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaTimestamp? {
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        switch timestampType {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: return .createTime(milliseconds: milliseconds)
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return .logAppendTime(milliseconds: milliseconds)
        default: return nil
        }
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let lastTopic, lastTopic.handle == rkt { return lastTopic.name }
        let name = String(librdkafka: rd_kafka_topic_name(rkt))
        lastTopic = (rkt, name)
        return name
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
