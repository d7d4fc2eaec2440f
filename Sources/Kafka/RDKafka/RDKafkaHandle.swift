import CRdKafka

/// An `rd_kafka_t`, `rd_kafka_queue_t` or `rd_kafka_topic_t` pointer that crosses threads.
///
/// Safety of `@unchecked Sendable`: librdkafka documents its client API as thread-safe; this
/// wrapper only carries the pointer. Every owner destroys the pointer on one thread after the
/// threads that use it have stopped (see the owners' close sequences), never in a `deinit`.
struct RDKafkaPointer: @unchecked Sendable, Hashable {
    let raw: OpaquePointer
}
