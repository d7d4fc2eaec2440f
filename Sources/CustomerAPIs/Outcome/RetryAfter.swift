import Foundation

/// The `Retry-After` header: a number of seconds, or an HTTP date (RFC 9110 section 10.2.3).
enum RetryAfter {
    /// The delay `text` asks for, measured from `now`; `nil` when it is neither form.
    /// A date in the past asks for no delay.
    static func parse(_ text: String, now: Date) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Anything beyond a day is capped by the retry policy anyway; avoid overflow on absurd values.
            let seconds = Int64(trimmed) ?? Int64.max
            return .seconds(min(seconds, 86_400 * 365))
        }
        guard let date = httpDate(trimmed) else { return nil }
        let milliseconds = (date.timeIntervalSince(now) * 1000).rounded(.up)
        return .milliseconds(Int64(max(0, min(milliseconds, 86_400_000 * 365))))
    }

    /// IMF-fixdate, and the obsolete RFC 850 and asctime forms that recipients must accept.
    private static let dateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        "EEEE, dd-MMM-yy HH:mm:ss zzz",
        "EEE MMM d HH:mm:ss yyyy",
    ]

    private static func httpDate(_ text: String) -> Date? {
        // asctime pads the day with a space ("Nov  6"): collapse runs of spaces first.
        let text = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in dateFormats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
