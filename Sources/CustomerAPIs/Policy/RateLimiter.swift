/// Caps one API's request rate (`ASAPP_MAX_RPS`, `EXTERNAL_PARAMS_MAX_RPS`; 0 = no limit) and slows
/// down after a 429 until requests succeed again.
///
/// Requests are spaced `1 / rate` apart. A 429 halves the rate (from the configured one, or from the
/// rate seen in the last second when there is no limit); each success then doubles it again until it
/// is back where it was. A value type without I/O: the caller passes the time and waits.
public struct RateLimiter: Sendable {
    /// The configured limit in requests per second; 0 = none.
    public let maxRequestsPerSecond: Double
    /// The slowest a run of 429s can make it.
    public static let minimumRequestsPerSecond = 0.5

    /// The rate in force: `nil` = no limit.
    public private(set) var currentRequestsPerSecond: Double?
    /// The rate to return to once requests succeed (`nil` = no limit).
    private var unthrottledRate: Double?
    private var throttled = false
    /// The rate the first 429 of a run halved; back above it, the limiter returns to `unthrottledRate`.
    private var recoveryRate = 0.0
    private var nextSlot: ContinuousClock.Instant?
    private var windowStart: ContinuousClock.Instant?
    private var windowCount = 0
    private var lastWindowRate = 0.0

    /// - Parameter maxRequestsPerSecond: The limit; 0 or less means none.
    public init(maxRequestsPerSecond: Double) {
        let limit = maxRequestsPerSecond > 0 ? maxRequestsPerSecond : 0
        self.maxRequestsPerSecond = limit
        self.unthrottledRate = limit > 0 ? limit : nil
        self.currentRequestsPerSecond = unthrottledRate
    }

    /// Whether a 429 is slowing requests down now.
    public var isThrottled: Bool { throttled }

    /// Takes the next free slot and returns when the request may be sent: `now`, or later when the rate is capped.
    public mutating func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        countRequest(now: now)
        guard let rate = currentRequestsPerSecond else { return now }
        let slot = max(now, nextSlot ?? now)
        nextSlot = slot.advanced(by: .nanoseconds(Int64((1_000_000_000 / rate).rounded(.up))))
        return slot
    }

    /// Adjusts the rate to how a request ended: a 429 slows down, a success speeds back up.
    public mutating func record(_ outcome: APIOutcome) {
        switch outcome {
        case .failure(let failure) where failure.httpStatus == 429:
            let from = currentRequestsPerSecond ?? max(lastWindowRate, Double(windowCount), 2 * Self.minimumRequestsPerSecond)
            if !throttled { recoveryRate = from }
            currentRequestsPerSecond = max(from / 2, Self.minimumRequestsPerSecond)
            throttled = true
        case .success where throttled:
            let faster = (currentRequestsPerSecond ?? recoveryRate) * 2
            if faster < recoveryRate {
                currentRequestsPerSecond = faster
            } else {
                currentRequestsPerSecond = unthrottledRate
                throttled = false
            }
        default:
            break
        }
    }

    /// Counts requests per one-second window, to know the rate reached when there is no limit.
    private mutating func countRequest(now: ContinuousClock.Instant) {
        guard let start = windowStart, now < start.advanced(by: .seconds(1)) else {
            if windowStart != nil { lastWindowRate = Double(windowCount) }
            windowStart = now
            windowCount = 1
            return
        }
        windowCount += 1
    }
}
