import CRdKafka

/// An error of the Kafka layer: what went wrong, as a stable ``code``, and a ``message`` that
/// explains it, usually librdkafka's own text.
///
/// Built like AsyncHTTPClient's `HTTPClientError`, a struct over a private enum, so that a new
/// kind of error breaks no caller: compare with the static members (``closed``), ask the
/// questions a caller acts on (``isClosed``, ``isRecordTooLarge``), or read ``code``, librdkafka's
/// symbolic name of the error (`_MSG_TIMED_OUT`, `MSG_SIZE_TOO_LARGE`): one of a fixed set, so it
/// is safe as a metric label.
public struct KafkaError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Base: Sendable, Equatable {
        /// The client was closed (librdkafka's `_DESTROY`).
        case closed
        /// librdkafka or this layer refused a setting or an argument (`_INVALID_ARG`).
        case invalidArgument
        /// The broker or the producer refused a record for its own size (`MSG_SIZE_TOO_LARGE`,
        /// `RECORD_LIST_TOO_LARGE`, the raw code).
        case recordTooLarge(Int32)
        /// Any other of librdkafka's codes, raw.
        case librdkafka(Int32)

        init(librdkafkaCode code: Int32) {
            switch code {
            case RD_KAFKA_RESP_ERR__DESTROY.rawValue: self = .closed
            case RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue: self = .invalidArgument
            case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE.rawValue:
                self = .recordTooLarge(code)
            default: self = .librdkafka(code)
            }
        }

        var librdkafkaCode: Int32 {
            switch self {
            case .closed: RD_KAFKA_RESP_ERR__DESTROY.rawValue
            case .invalidArgument: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue
            case .recordTooLarge(let code), .librdkafka(let code): code
            }
        }
    }

    private let base: Base
    /// A human-readable explanation, usually librdkafka's own text.
    public var message: String

    private init(base: Base, message: String) {
        self.base = base
        self.message = message
    }

    /// An error librdkafka reported: its raw `rd_kafka_resp_err_t` and its text.
    public init(librdkafkaCode: Int32, message: String) {
        self.init(base: Base(librdkafkaCode: librdkafkaCode), message: message)
    }

    /// The client (consumer or producer) has been closed.
    public static var closed: KafkaError {
        KafkaError(base: .closed, message: "the Kafka client is closed")
    }

    /// A setting or an argument that librdkafka or this layer refused, and why.
    public static func invalidArgument(_ message: String) -> KafkaError {
        KafkaError(base: .invalidArgument, message: message)
    }

    /// librdkafka's symbolic name of the error, e.g. `_MSG_TIMED_OUT`: stable, and safe as a metric label.
    public var code: String {
        String(librdkafka: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: librdkafkaCode)))
    }

    /// librdkafka's `rd_kafka_resp_err_t`, raw: negative values are client-side errors
    /// (e.g. `-192` message timed out), positive values are broker error codes.
    public var librdkafkaCode: Int32 { base.librdkafkaCode }

    /// Whether the client was closed (before the record was acknowledged, for a send).
    public var isClosed: Bool { base == .closed }

    /// Whether the broker or the producer refused a record for its own size
    /// (`MSG_SIZE_TOO_LARGE`, `RECORD_LIST_TOO_LARGE`): sending the same record again can never
    /// succeed, unlike a failure of the path to the broker (no leader, timeout, authorization),
    /// which may pass.
    public var isRecordTooLarge: Bool {
        if case .recordTooLarge = base { true } else { false }
    }

    /// A short description, e.g. `Kafka error _MSG_TIMED_OUT (-192): Local: Message timed out`.
    public var description: String {
        "Kafka error \(code) (\(librdkafkaCode)): \(message)"
    }
}

extension KafkaError {
    /// An error from librdkafka's code, with librdkafka's description as the message.
    init(_ err: rd_kafka_resp_err_t) {
        self.init(librdkafkaCode: err.rawValue, message: String(librdkafka: rd_kafka_err2str(err)))
    }

    /// An error from an `rd_kafka_error_t`, which this call destroys.
    init(consuming error: OpaquePointer) {
        self.init(librdkafkaCode: rd_kafka_error_code(error).rawValue, message: String(librdkafka: rd_kafka_error_string(error)))
        rd_kafka_error_destroy(error)
    }

    /// Whether this is one of librdkafka's codes.
    func hasCode(_ err: rd_kafka_resp_err_t) -> Bool { librdkafkaCode == err.rawValue }
}
