import Foundation

/// RFC 3339 timestamps in UTC with milliseconds (`2026-11-22T10:00:00.123Z`) for log lines: the
/// same text as the `completedAt` of replies (`Timestamp`).
enum LogTimestamp {
    static func format(_ date: Date) -> String {
        Timestamp(milliseconds: Int64((date.timeIntervalSince1970 * 1_000).rounded())).rfc3339
    }
}
