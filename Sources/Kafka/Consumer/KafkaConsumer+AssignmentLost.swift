/// Telling a revoke of partitions that are already gone from an ordinary one.
extension KafkaConsumer {
    /// Whether the `.revoked` event being handled now is a lost assignment: the group session
    /// expired (e.g. the broker was away longer than `session.timeout.ms`) or the member was
    /// fenced, so other members may already own the partitions. The handler must then abandon
    /// their work at once and store no offsets for them; the layer has already cleared their
    /// stored offsets, and clears them again before librdkafka unassigns them, so none is
    /// committed. `false` outside a revoke.
    public var assignmentLost: Bool {
        core.state.withLock { $0.revokingLostAssignment }
    }
}
