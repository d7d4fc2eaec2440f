/// Caps one API's request rate (`ASAPP_MAX_RPS`, `EXTERNAL_PARAMS_MAX_RPS`; 0 = no limit) and slows
/// down after a 429 until requests succeed again.
///
/// Requests are spaced `1 / rate` apart. A 429 halves the rate (from the configured one, or from the
/// rate seen in the last second when there is no limit); each success then doubles it again until it
/// is back where it was. A value type without I/O: the caller passes the time, and waits and asks again when told to.
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
    /// The earliest instant the next request may go; `nil` before the first.
    private var nextSlot: ContinuousClock.Instant?
    private var lastTaken: ContinuousClock.Instant?
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

    /// When the next request may be sent: `now` when a slot is free, else the instant the next one frees.
    ///
    /// Nothing is booked: a caller told to wait sleeps and asks again, so however many callers wait,
    /// the next slot is never more than one spacing (`1 / rate`) ahead, and a rate that speeds up
    /// again after a 429 takes effect at once instead of after a queue of slots booked minutes ahead.
    public func earliestSend(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard currentRequestsPerSecond != nil, let nextSlot, nextSlot > now else { return now }
        return nextSlot
    }

    /// Takes the slot at `now`, for a request being sent now (after ``earliestSend(now:)`` said `now`).
    /// The next slot is one spacing later; idle time is never saved up as a burst.
    public mutating func take(now: ContinuousClock.Instant) {
        countRequest(now: now)
        guard let rate = currentRequestsPerSecond else { return }
        nextSlot = max(nextSlot ?? now, now).advanced(by: Self.spacing(rate))
        lastTaken = now
    }

    /// Takes a slot when one is free at `now`: `nil` then; otherwise the instant to ask again (nothing is booked).
    public mutating func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let earliest = earliestSend(now: now)
        guard earliest <= now else { return earliest }
        take(now: now)
        return nil
    }

    private static func spacing(_ rate: Double) -> Duration {
        .nanoseconds(Int64((1_000_000_000 / rate).rounded(.up)))
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
            // The slot taken at the slower rate must not hold the next request back.
            if let lastTaken, let rate = currentRequestsPerSecond, let slot = nextSlot {
                nextSlot = min(slot, lastTaken.advanced(by: Self.spacing(rate)))
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
