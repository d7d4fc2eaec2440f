/// How strictly events are ordered (`BRIDGE_ORDERING`).
public enum OrderingMode: String, Sendable, Hashable, CaseIterable {
    /// Events with the same key in a partition are processed one after another (the default).
    case key
    /// Events of a partition are processed one after another.
    case partition
    /// No ordering: any events may run concurrently.
    case none
}
