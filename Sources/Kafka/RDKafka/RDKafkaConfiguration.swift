import CRdKafka

/// Builds an `rd_kafka_conf_t` from properties, failing with librdkafka's own message.
enum RDKafkaConfiguration {
    /// A new configuration with `properties` set in order; the caller owns the result.
    static func make(_ properties: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(librdkafkaCode: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: "rd_kafka_conf_new failed")
        }
        for (name, value) in properties {
            var errstr = [CChar](repeating: 0, count: 512)
            let result = rd_kafka_conf_set(conf, name, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.invalidArgument(String(nulTerminated: errstr))
            }
        }
        return conf
    }

    /// Creates a client of `type` from `conf`. librdkafka takes `conf` on success; on failure it is destroyed here.
    static func makeClient(_ type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError.invalidArgument(String(nulTerminated: errstr))
        }
        return rk
    }
}

extension String {
    /// The text of a C string librdkafka returned, empty for NULL: librdkafka's pointers are
    /// checked, never force-unwrapped.
    init(librdkafka text: UnsafePointer<CChar>?) {
        self = text.map { String(cString: $0) } ?? ""
    }

    /// The text of a NUL-terminated C buffer librdkafka filled.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
