/// A change of a consumer's assignment, given to the rebalance handler.
public enum KafkaRebalanceEvent: Sendable, Equatable {
    /// These partitions were added to the assignment (records follow).
    case assigned([KafkaTopicPartition])
    /// These partitions are about to be taken away: the handler runs before librdkafka unassigns
    /// them, so it can finish or abandon their work and store their offsets.
    case revoked([KafkaTopicPartition])
}
