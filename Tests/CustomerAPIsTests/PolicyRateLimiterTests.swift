import Testing
@testable import CustomerAPIs

@Suite struct PolicyRateLimiterTests {
    let start = ContinuousClock.now
    static let ok = APIOutcome.success(APISuccess(httpStatus: 200, resultID: nil))
    static let tooMany = APIOutcome.failure(APIFailure(kind: .transient, code: "429-01", message: "HTTP 429", httpStatus: 429))
    static let unavailable = APIOutcome.failure(APIFailure(kind: .transient, code: "HTTP_503", message: "HTTP 503", httpStatus: 503))

    func at(milliseconds: Int64) -> ContinuousClock.Instant {
        start.advanced(by: .milliseconds(milliseconds))
    }

    @Test func zeroMeansNoLimit() {
        var limiter = RateLimiter(maxRequestsPerSecond: 0)
        for _ in 0..<1000 {
            #expect(limiter.reserve(now: start) == nil)
        }
        #expect(limiter.currentRequestsPerSecond == nil)
    }

    @Test func requestsAreSpacedByTheRate() {
        var limiter = RateLimiter(maxRequestsPerSecond: 10)
        #expect(limiter.reserve(now: start) == nil)
        #expect(limiter.reserve(now: start) == at(milliseconds: 100), "the next slot is one spacing later")
        #expect(limiter.reserve(now: at(milliseconds: 50)) == at(milliseconds: 100), "asking again books nothing")
        #expect(limiter.reserve(now: at(milliseconds: 100)) == nil)
        #expect(limiter.reserve(now: at(milliseconds: 100)) == at(milliseconds: 200))
        // After a quiet spell the next request goes at once, with no burst credit saved up.
        #expect(limiter.reserve(now: at(milliseconds: 5000)) == nil)
        #expect(limiter.reserve(now: at(milliseconds: 5000)) == at(milliseconds: 5100))
    }

    /// Many callers waiting through a run of 429s book nothing: the next slot stays one spacing away,
    /// and once requests succeed again the configured rate holds at once. (Before, each caller booked
    /// a slot: 100 waiters at the 0.5/s floor pushed the next free slot 200 s ahead.)
    @Test func waitersAfterA429BookNoSlotsAhead() {
        var limiter = RateLimiter(maxRequestsPerSecond: 10)
        for _ in 0..<10 { limiter.record(Self.tooMany) }
        #expect(limiter.currentRequestsPerSecond == RateLimiter.minimumRequestsPerSecond)
        #expect(limiter.reserve(now: start) == nil)
        for _ in 0..<100 {
            let next = limiter.reserve(now: at(milliseconds: 10))
            #expect(next == at(milliseconds: 2000))
        }
        for _ in 0..<10 { limiter.record(Self.ok) }
        #expect(limiter.currentRequestsPerSecond == 10)
        #expect(limiter.earliestSend(now: at(milliseconds: 10)) == at(milliseconds: 100), "the slower slot no longer holds requests back")
        #expect(limiter.reserve(now: at(milliseconds: 100)) == nil)
    }

    @Test func a429HalvesTheRateAndSuccessesRestoreIt() {
        var limiter = RateLimiter(maxRequestsPerSecond: 8)
        limiter.record(Self.tooMany)
        #expect(limiter.currentRequestsPerSecond == 4)
        #expect(limiter.isThrottled)
        limiter.record(Self.tooMany)
        #expect(limiter.currentRequestsPerSecond == 2)
        limiter.record(Self.unavailable)
        #expect(limiter.currentRequestsPerSecond == 2, "only a 429 slows down")
        limiter.record(Self.ok)
        #expect(limiter.currentRequestsPerSecond == 4)
        limiter.record(Self.ok)
        #expect(limiter.currentRequestsPerSecond == 8)
        #expect(!limiter.isThrottled)
        limiter.record(Self.ok)
        #expect(limiter.currentRequestsPerSecond == 8)
    }

    @Test func throttledRateSpacesRequestsFurther() {
        var limiter = RateLimiter(maxRequestsPerSecond: 10)
        limiter.record(Self.tooMany)
        #expect(limiter.reserve(now: start) == nil)
        #expect(limiter.reserve(now: start) == at(milliseconds: 200))
    }

    @Test func a429WithoutALimitThrottlesFromTheObservedRate() {
        var limiter = RateLimiter(maxRequestsPerSecond: 0)
        for index in 0..<40 { _ = limiter.reserve(now: at(milliseconds: Int64(index) * 25)) }
        limiter.record(Self.tooMany)
        #expect(limiter.currentRequestsPerSecond == 20)
        limiter.record(Self.ok)
        #expect(limiter.currentRequestsPerSecond == nil, "back to no limit once requests succeed")
    }

    @Test func theRateNeverDropsBelowTheMinimum() {
        var limiter = RateLimiter(maxRequestsPerSecond: 1)
        for _ in 0..<20 { limiter.record(Self.tooMany) }
        #expect(limiter.currentRequestsPerSecond == RateLimiter.minimumRequestsPerSecond)
    }
}
