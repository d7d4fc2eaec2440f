import CRdKafka
import Logging

/// What a client's `opaque` points to: the logger for librdkafka's log lines and, for a
/// consumer, the rebalance callback.
///
/// Safety of `@unchecked Sendable`: `logger` is immutable. `rebalance` is written once, before
/// the consumer's poll thread starts, and read only by librdkafka's rebalance callback, which
/// librdkafka runs inside a poll call, i.e. on that same poll thread.
final class RDKafkaClientContext: @unchecked Sendable {
    typealias Rebalance = (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void

    let logger: Logger
    var rebalance: Rebalance?

    init(logger: Logger) { self.logger = logger }

    /// Sets this context as `conf`'s opaque, unretained: the owner keeps it alive until after `rd_kafka_destroy`.
    func install(on conf: OpaquePointer, withRebalance: Bool) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
            context.log(level: level, facility: facility, message: message)
        }
        if withRebalance {
            rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
                guard let rk, let partitions, let opaque else { return }
                let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
                context.rebalance?(rk, err, partitions)
            }
        }
    }

    private func log(level: Int32, facility: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let text = message.map { String(cString: $0) } ?? ""
        let facilityText = facility.map { String(cString: $0) } ?? ""
        let swiftLevel: Logger.Level
        switch level {
        case ...3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5: swiftLevel = .notice
        case 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        logger.log(level: swiftLevel, "\(text)", metadata: ["librdkafka.facility": "\(facilityText)"])
    }
}
