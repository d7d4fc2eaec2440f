/// How strictly events are kept in order (`BRIDGE_ORDERING`).
public enum OrderingMode: String, Sendable, CaseIterable {
    /// Events with the same key in a partition run one after another; different keys concurrently.
    /// Records without a key count as one key of their partition, so they keep their order too.
    case key
    /// The events of a partition run one after another.
    case partition
    /// No ordering: every event may run as soon as there is room.
    case none
}
