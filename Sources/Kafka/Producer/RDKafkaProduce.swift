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
                withBytes(header.value?[...]) { pointer, count in
                    _ = rd_kafka_header_add(headers, header.name, -1, pointer, count)
                }
            }
        }
        let err = withBytes(record.key) { keyPointer, keyCount in
            withBytes(record.value) { valuePointer, valueCount in
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { values in
                    var count = 0
                    func add(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                        var value = rd_kafka_vu_t()
                        value.vtype = type
                        set(&value)
                        values.initializeElement(at: count, to: value)
                        count += 1
                    }
                    add(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic }
                    add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = record.partition ?? RD_KAFKA_PARTITION_UA }
                    add(RD_KAFKA_VTYPE_KEY) { $0.u.mem.ptr = keyPointer; $0.u.mem.size = keyCount }
                    add(RD_KAFKA_VTYPE_VALUE) { $0.u.mem.ptr = valuePointer; $0.u.mem.size = valueCount }
                    add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(opaque)) }
                    if let timestamp = record.timestamp {
                        add(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp }
                    }
                    if let headers {
                        add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers }
                    }
                    defer { values.baseAddress?.deinitialize(count: count) }
                    guard let error = rd_kafka_produceva(rk, values.baseAddress, count) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
                    let code = rd_kafka_error_code(error)
                    rd_kafka_error_destroy(error)
                    return code
                }
            }
        }
        // librdkafka owns the headers only when the record was accepted.
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return err
    }

    /// Calls `body` with a pointer and length: `nil` for a null value, non-null even when empty.
    private static func withBytes<R>(_ bytes: ArraySlice<UInt8>?, _ body: (UnsafeMutableRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        return bytes.withUnsafeBytes { buffer in
            body(buffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? emptyBytes, buffer.count)
        }
    }
}
