/// How log lines are written (`BRIDGE_LOG_FORMAT`).
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line.
    case json
    /// One human-readable line per entry.
    case text
}
