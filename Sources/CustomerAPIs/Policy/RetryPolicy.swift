/// When to try a transiently failed request again, and how long to wait first.
///
/// Exponential backoff with full jitter: after attempt `n` the wait is uniform in
/// `0 ... min(max, base · 2^(n-1))`. A `Retry-After` the API sent is honoured, capped at `max`:
/// the wait is then at least that long. At most `maxAttempts` attempts are made in all.
public struct RetryPolicy: Sendable, Equatable {
    /// The first backoff ceiling (`BRIDGE_RETRY_BASE_MS`, 200 ms).
    public var base: Duration
    /// The largest wait, for backoff and `Retry-After` alike (`BRIDGE_RETRY_MAX_MS`, 30 s).
    public var max: Duration
    /// The most attempts one event gets, the first included (`BRIDGE_MAX_ATTEMPTS`, 8).
    public var maxAttempts: Int

    /// Values below their minimum are raised to it: `base` ≥ 1 ms, `max` ≥ `base`, `maxAttempts` ≥ 1.
    public init(base: Duration, max: Duration, maxAttempts: Int) {
        let base = Swift.max(base, .milliseconds(1))
        self.base = base
        self.max = Swift.max(max, base)
        self.maxAttempts = Swift.max(maxAttempts, 1)
    }

    /// The defaults of docs/contract.md, "Retries": 200 ms, 30 s, 8 attempts.
    public static let standard = RetryPolicy(base: .milliseconds(200), max: .seconds(30), maxAttempts: 8)

    /// Whether another attempt may follow attempt number `attempt` (1 for the first).
    public func mayRetry(afterAttempt attempt: Int) -> Bool {
        attempt < maxAttempts
    }

    /// The largest backoff after attempt number `attempt`: `min(max, base · 2^(attempt-1))`.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let doublings = Swift.min(Swift.max(attempt - 1, 0), 62)
        let baseNanoseconds = base.nanoseconds
        let (scaled, overflow) = baseNanoseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        let ceiling = overflow ? Int64.max : scaled
        return .nanoseconds(Swift.min(ceiling, max.nanoseconds))
    }

    /// How long to wait after attempt number `attempt` before the next one.
    ///
    /// - Parameters:
    ///   - retryAfter: The delay the API asked for, if it did; the wait is at least this, capped at ``max``.
    ///   - generator: The source of jitter (inject a seeded one in tests).
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator) -> Duration {
        let jittered = Duration.nanoseconds(Int64.random(in: 0...ceiling(afterAttempt: attempt).nanoseconds, using: &generator))
        guard let retryAfter else { return jittered }
        let asked = Swift.min(Swift.max(retryAfter, .zero), max)
        return Swift.max(jittered, asked)
    }

    /// ``delay(afterAttempt:retryAfter:using:)`` with the system's random numbers.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }
}

extension Duration {
    /// The span in whole nanoseconds, saturating at `Int64.max` (negative spans become 0).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? .max : sum
    }
}
