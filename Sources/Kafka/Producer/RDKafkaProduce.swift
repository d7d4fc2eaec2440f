import CRdKafka

/// One `rd_kafka_produceva` call for an outgoing record; librdkafka copies key, value and headers.
enum RDKafkaProduce {
    /// A non-null pointer for an empty, non-null key or value (librdkafka reads 0 bytes from it).
    private static var emptyBytes: UnsafeMutableRawPointer { UnsafeMutableRawPointer(mutating: StaticString("").utf8Start) }

    /// Enqueues `record` for `topic`; returns librdkafka's error code (e.g. `_QUEUE_FULL`).
    static func produce(_ record: KafkaOutgoingRecord, rk: OpaquePointer, topic: OpaquePointer, opaque: UInt64) -> rd_kafka_resp_err_t {
        var headers: OpaquePointer?
        if !record.headers.isEmpty {
            headers = rd_kafka_headers_new(record.headers.count)
            for header in record.headers {
                withBytes(header.value) { pointer, count in
                    _ = rd_kafka_header_add(headers, header.name, -1, pointer, count)
                }
            }
        }
        let err = withBytes(record.key) { keyPointer, keyCount in
            withBytes(record.value) { valuePointer, valueCount in
                var values = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7)
                values[0].vtype = RD_KAFKA_VTYPE_RKT
                values[0].u.rkt = topic
                values[1].vtype = RD_KAFKA_VTYPE_PARTITION
                values[1].u.i32 = record.partition ?? RD_KAFKA_PARTITION_UA
                values[2].vtype = RD_KAFKA_VTYPE_KEY
                values[2].u.mem.ptr = keyPointer
                values[2].u.mem.size = keyCount
                values[3].vtype = RD_KAFKA_VTYPE_VALUE
                values[3].u.mem.ptr = valuePointer
                values[3].u.mem.size = valueCount
                values[4].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                values[4].u.i = RD_KAFKA_MSG_F_COPY
                values[5].vtype = RD_KAFKA_VTYPE_OPAQUE
                values[5].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(opaque))
                var count = 6
                if let timestamp = record.timestamp {
                    values[count].vtype = RD_KAFKA_VTYPE_TIMESTAMP
                    values[count].u.i64 = timestamp
                    count += 1
                }
                if let headers {
                    values.append(rd_kafka_vu_t())
                    values[count].vtype = RD_KAFKA_VTYPE_HEADERS
                    values[count].u.headers = headers
                    count += 1
                }
                guard let error = rd_kafka_produceva(rk, values, count) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
                let code = rd_kafka_error_code(error)
                rd_kafka_error_destroy(error)
                return code
            }
        }
        // librdkafka owns the headers only when the record was accepted.
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return err
    }

    /// Calls `body` with a pointer and length: `nil` for a null value, non-null even when empty.
    private static func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        return bytes.withUnsafeBytes { buffer in
            body(buffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? emptyBytes, buffer.count)
        }
    }
}
