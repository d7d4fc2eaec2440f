/// The delays between attempts to write a reply the broker refused for a reason of the path (no
/// leader, a timeout, authorization): doubling from `base` up to `cap`, each with up to a fifth
/// of random jitter, so that many stuck replies do not retry in lock step. A value type.
struct ReplyBackoff: Sendable {
    let base: Duration
    let cap: Duration
    private(set) var failures = 0

    init(base: Duration = .milliseconds(100), cap: Duration = .seconds(2)) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The delay before the next attempt, given a random fraction in 0..<1 for the jitter.
    mutating func nextDelay(jitter: Double) -> Duration {
        let exponent = min(failures, 30)
        failures += 1
        let plain = min(cap, base * (1 << exponent))
        return plain - plain * (max(0, min(jitter, 1)) / 5)
    }

    /// The delay before the next attempt, with random jitter.
    mutating func nextDelay() -> Duration {
        nextDelay(jitter: Double.random(in: 0..<1))
    }
}
