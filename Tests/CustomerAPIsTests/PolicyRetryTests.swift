import Testing
import TestSupport
@testable import CustomerAPIs

@Suite struct PolicyRetryTests {
    let policy = RetryPolicy(base: .milliseconds(200), max: .seconds(30), maxAttempts: 8)

    @Test func attemptAccounting() {
        #expect(policy.mayRetry(afterAttempt: 1))
        #expect(policy.mayRetry(afterAttempt: 7))
        #expect(!policy.mayRetry(afterAttempt: 8))
        #expect(!RetryPolicy(base: .milliseconds(1), max: .seconds(1), maxAttempts: 1).mayRetry(afterAttempt: 1))
        #expect(RetryPolicy(base: .milliseconds(1), max: .seconds(1), maxAttempts: 0).maxAttempts == 1)
    }

    @Test func ceilingDoublesFromBaseUpToMax() {
        #expect(policy.ceiling(afterAttempt: 1) == .milliseconds(200))
        #expect(policy.ceiling(afterAttempt: 2) == .milliseconds(400))
        #expect(policy.ceiling(afterAttempt: 5) == .milliseconds(3200))
        #expect(policy.ceiling(afterAttempt: 8) == .milliseconds(25_600))
        #expect(policy.ceiling(afterAttempt: 9) == .seconds(30))
        #expect(policy.ceiling(afterAttempt: 10_000) == .seconds(30))
    }

    @Test func fullJitterStaysWithinZeroAndTheCeiling() {
        var generator = SeededGenerator(seed: 42)
        for attempt in 1...12 {
            var seen: Set<Int64> = []
            for _ in 0..<200 {
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator)
                #expect(delay >= .zero)
                #expect(delay <= policy.ceiling(afterAttempt: attempt))
                seen.insert(delay.nanoseconds)
            }
            #expect(seen.count > 100, "jitter spreads the delays")
        }
    }

    @Test func jitterReachesTheCeiling() {
        var generator = MaximumGenerator()
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, using: &generator) == .milliseconds(800))
    }

    @Test func retryAfterIsHonoured() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<100 {
            #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(5), using: &generator) == .seconds(5))
        }
    }

    @Test func retryAfterIsCappedAtMax() {
        var generator = SeededGenerator(seed: 7)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600), using: &generator) == .seconds(30))
    }

    @Test func retryAfterShorterThanTheBackoffKeepsTheBackoff() {
        var generator = MaximumGenerator()
        #expect(policy.delay(afterAttempt: 6, retryAfter: .seconds(1), using: &generator) == .milliseconds(6400))
    }

    @Test func maxBelowBaseIsRaised() {
        let odd = RetryPolicy(base: .seconds(2), max: .seconds(1), maxAttempts: 3)
        #expect(odd.max == .seconds(2))
        #expect(odd.ceiling(afterAttempt: 4) == .seconds(2))
    }
}
