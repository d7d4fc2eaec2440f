/// A failure the simulator injects into the requests it receives.
///
/// A fault applies to the next `count` requests it matches, or to every request it matches
/// for a duration from the moment it is added. It can be limited to one API and to requests
/// whose body or path contains a substring. Faults apply before authentication and
/// validation, in the order they were added; the first that matches a request wins.
public struct SimulatorFault: Sendable, Equatable {
    /// What the simulator does instead of answering normally.
    public enum Action: Sendable, Equatable {
        /// Answer with `status` in the API's documented shape: API 1's `result.error`
        /// (statuses 200 and 400) or error object (`code` defaults to `<status>-01`); API 2's
        /// NAK with `errorCode` `code` (defaults to `GLOBAL_1001` for 429 and 5xx, else
        /// `CUSTOMER_1024`). `body`, when given, is sent verbatim instead. `retryAfter` adds a
        /// `Retry-After` header in seconds.
        case fail(status: Int, code: String?, message: String?, body: String?, retryAfter: Int?)
        /// Answer 429 with `Retry-After: retryAfter`.
        case throttle(retryAfter: Int)
        /// Close the connection without answering.
        case drop
    }

    /// How long the fault lasts.
    public enum Extent: Sendable, Equatable {
        /// The next `count` matching requests.
        case next(Int)
        /// Every matching request for this long after the fault is added.
        case duration(Duration)
    }

    /// What happens to a matching request.
    public var action: Action
    /// How long the fault lasts.
    public var extent: Extent
    /// Only requests of this API, or of both when `nil`.
    public var api: SimulatedAPI?
    /// Only requests whose body or path contains this text, or all when `nil`.
    public var matching: String?

    /// A fault of any action and extent.
    public init(action: Action, extent: Extent, api: SimulatedAPI? = nil, matching: String? = nil) {
        self.action = action
        self.extent = extent
        self.api = api
        self.matching = matching
    }

    /// The next `count` matching requests are answered with `status` (and `code`, the API 1
    /// error code or API 2 `errorCode`, e.g. `GLOBAL_1001` with status 200 for a NAK).
    public static func failNext(
        _ count: Int, status: Int, code: String? = nil, message: String? = nil, body: String? = nil,
        retryAfter: Int? = nil, api: SimulatedAPI? = nil, matching: String? = nil
    ) -> SimulatorFault {
        SimulatorFault(
            action: .fail(status: status, code: code, message: message, body: body, retryAfter: retryAfter),
            extent: .next(count), api: api, matching: matching
        )
    }

    /// Every matching request is answered with `status` for `duration`.
    public static func failFor(
        _ duration: Duration, status: Int, code: String? = nil, message: String? = nil, body: String? = nil,
        retryAfter: Int? = nil, api: SimulatedAPI? = nil, matching: String? = nil
    ) -> SimulatorFault {
        SimulatorFault(
            action: .fail(status: status, code: code, message: message, body: body, retryAfter: retryAfter),
            extent: .duration(duration), api: api, matching: matching
        )
    }

    /// The next `count` matching requests are answered 429 with `Retry-After: retryAfter`.
    public static func throttleNext(
        _ count: Int, retryAfter: Int, api: SimulatedAPI? = nil, matching: String? = nil
    ) -> SimulatorFault {
        SimulatorFault(action: .throttle(retryAfter: retryAfter), extent: .next(count), api: api, matching: matching)
    }

    /// The connections of the next `count` matching requests are closed without an answer.
    public static func dropNext(_ count: Int, api: SimulatedAPI? = nil, matching: String? = nil) -> SimulatorFault {
        SimulatorFault(action: .drop, extent: .next(count), api: api, matching: matching)
    }
}
