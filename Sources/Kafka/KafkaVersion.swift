import CRdKafka

/// The version of the librdkafka library this process runs against, e.g. `2.0.2`.
public var librdkafkaVersion: String {
    String(librdkafka: rd_kafka_version_str())
}
