import CRdKafka

/// An error of the Kafka layer: librdkafka's error code and a message that explains it.
///
/// `code` is librdkafka's raw `rd_kafka_resp_err_t`: negative values are client-side errors
/// (e.g. `-192` message timed out), positive values are broker error codes.
public struct KafkaError: Error, Sendable, CustomStringConvertible, Equatable {
    /// librdkafka's `rd_kafka_resp_err_t`, raw.
    public var code: Int32
    /// A human-readable explanation, usually librdkafka's own text.
    public var message: String

    /// Creates an error from a raw code and a message.
    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// librdkafka's symbolic name of `code`, e.g. `_MSG_TIMED_OUT`.
    public var name: String {
        String(librdkafka: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    /// A short description, e.g. `Kafka error _MSG_TIMED_OUT (-192): Local: Message timed out`.
    public var description: String {
        "Kafka error \(name) (\(code)): \(message)"
    }
}

extension KafkaError {
    /// An error from librdkafka's code, with librdkafka's description as the message.
    init(_ err: rd_kafka_resp_err_t) {
        self.init(code: err.rawValue, message: String(librdkafka: rd_kafka_err2str(err)))
    }

    /// An error from an `rd_kafka_error_t`, which this call destroys.
    init(consuming error: OpaquePointer) {
        self.init(code: rd_kafka_error_code(error).rawValue, message: String(librdkafka: rd_kafka_error_string(error)))
        rd_kafka_error_destroy(error)
    }

    /// The client (consumer or producer) has been closed.
    static var closed: KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__DESTROY.rawValue, message: "the Kafka client is closed")
    }

    /// Whether this is one of librdkafka's codes.
    func hasCode(_ err: rd_kafka_resp_err_t) -> Bool { code == err.rawValue }
}
