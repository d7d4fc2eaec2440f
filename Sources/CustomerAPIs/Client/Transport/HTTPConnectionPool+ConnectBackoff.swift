import NIOCore

extension HTTPConnectionPool {
    /// How long the pool waits before the next connect after connects failed in a row: `initial`
    /// after the first failure, twice as long after each further one, at most `maximum`.
    ///
    /// With the defaults: 100 ms, 200 ms, 400 ms, 800 ms, 1.6 s, then 3 s. A successful connect
    /// starts the count again.
    struct ConnectBackoff: Sendable, Equatable {
        var initial: TimeAmount = .milliseconds(100)
        var maximum: TimeAmount = .seconds(3)

        /// The wait after `failures` (at least 1) failed connects in a row.
        func delay(afterFailures failures: Int) -> TimeAmount {
            // 2^30 times any sensible `initial` is past any sensible `maximum`; the cap avoids overflow.
            let doublings = min(max(failures - 1, 0), 30)
            let (doubled, overflow) = initial.nanoseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
            return overflow ? maximum : min(maximum, .nanoseconds(doubled))
        }
    }
}
