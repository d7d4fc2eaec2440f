import Testing
@testable import Bridge

@Suite struct ReplyBackoffTests {
    @Test func delaysDoubleUpToTheCapWithJitterBelowAFifth() {
        var backoff = ReplyBackoff(base: .milliseconds(100), cap: .seconds(2))
        let plain = (0..<7).map { _ in backoff.nextDelay(jitter: 0) }
        #expect(plain == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2)])
        var jittered = ReplyBackoff(base: .milliseconds(100), cap: .seconds(2))
        let first = jittered.nextDelay(jitter: 0.5), second = jittered.nextDelay(jitter: 1)
        #expect(abs((first - .milliseconds(90)) / .microseconds(1)) < 1)
        #expect(abs((second - .milliseconds(160)) / .microseconds(1)) < 1)
    }
}
