import Foundation
import Testing
@testable import CustomerAPIs

@Suite struct ClassifierRetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
    let now = Date(timeIntervalSince1970: 784_111_777)

    @Test func seconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
    }

    @Test func httpDateInTheFuture() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
    }

    @Test func obsoleteDateForms() {
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:57 1994", now: now) == .seconds(20))
    }

    @Test func httpDateInThePastAsksForNoDelay() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    }

    @Test func garbageIsIgnored() {
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
        #expect(RetryAfter.parse("", now: now) == nil)
    }

    @Test func absurdSecondsDoNotOverflow() {
        #expect(RetryAfter.parse("99999999999999999999999", now: now) == .seconds(86_400 * 365))
    }
}
