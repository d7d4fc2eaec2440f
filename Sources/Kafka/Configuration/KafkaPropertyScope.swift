/// Which librdkafka clients a property applies to, so that one set of properties (the bridge's
/// `KAFKA_*` settings) can configure both clients: a consumer-only property is not given to the
/// producer (librdkafka would warn that it ignores it), and the other way round.
///
/// From librdkafka 2.0.2's CONFIGURATION.md: the properties marked `C` (consumer) or `P`
/// (producer) there; every other property (`*`) goes to both.
public enum KafkaPropertyScope {
    /// The properties only a consumer takes.
    public static let consumerOnly: Set<String> = [
        "group.id", "group.instance.id", "partition.assignment.strategy", "session.timeout.ms",
        "heartbeat.interval.ms", "group.protocol.type", "coordinator.query.interval.ms", "max.poll.interval.ms",
        "enable.auto.commit", "auto.commit.interval.ms", "auto.commit.enable", "enable.auto.offset.store",
        "queued.min.messages", "queued.max.messages.kbytes", "fetch.wait.max.ms", "fetch.message.max.bytes",
        "max.partition.fetch.bytes", "fetch.max.bytes", "fetch.min.bytes", "fetch.error.backoff.ms",
        "offset.store.method", "offset.store.path", "offset.store.sync.interval.ms", "isolation.level",
        "enable.partition.eof", "check.crcs", "auto.offset.reset", "consume.callback.max.messages",
    ]

    /// The properties only a producer takes.
    public static let producerOnly: Set<String> = [
        "transactional.id", "transaction.timeout.ms", "enable.idempotence", "enable.gapless.guarantee",
        "queue.buffering.max.messages", "queue.buffering.max.kbytes", "queue.buffering.max.ms", "linger.ms",
        "message.send.max.retries", "retries", "retry.backoff.ms", "queue.buffering.backpressure.threshold",
        "compression.codec", "compression.type", "compression.level", "batch.num.messages", "batch.size",
        "delivery.report.only.error", "sticky.partitioning.linger.ms", "request.required.acks", "acks",
        "request.timeout.ms", "message.timeout.ms", "delivery.timeout.ms", "queuing.strategy",
        "produce.offset.report", "partitioner",
    ]

    /// The properties a consumer takes.
    public static func forConsumer(_ properties: [String: String]) -> [String: String] {
        properties.filter { !producerOnly.contains($0.key) }
    }

    /// The properties a producer takes.
    public static func forProducer(_ properties: [String: String]) -> [String: String] {
        properties.filter { !consumerOnly.contains($0.key) }
    }
}
