/// How one API call ended, classified as docs/contract.md, "Outcomes", says.
public enum APIOutcome: Sendable, Equatable {
    case success(APISuccess)
    case failure(APIFailure)
}

/// An accepted request.
public struct APISuccess: Sendable, Equatable {
    /// The HTTP status of the answer (200, or 409 for an event id API 1 had already ingested).
    public var httpStatus: Int
    /// API 1's `result.eventId` or API 2's `requestId`, when the answer carried one.
    public var resultID: String?
    /// `true` when API 1 answered 409: the event id was already ingested.
    public var duplicate: Bool

    public init(httpStatus: Int, resultID: String?, duplicate: Bool = false) {
        self.httpStatus = httpStatus
        self.resultID = resultID
        self.duplicate = duplicate
    }
}

/// A request that did not succeed.
public struct APIFailure: Error, Sendable, Equatable {
    /// The rows of the outcome table a failure can fall in.
    public enum Kind: Sendable, Equatable {
        /// The event's fault: reply `failed` and dead-letter it at once.
        case permanent
        /// Worth retrying: connection errors, timeouts, 408, 429, 5xx, API 2's `GLOBAL_1001`.
        case transient
        /// Not the event's fault (401, 403): open the API's circuit.
        case outage
    }

    public var kind: Kind
    /// The API's own code (`FAIL_BAD_PARAMS`, `CUSTOMER_1024`, `429-01`), else `HTTP_<status>`, `TIMEOUT`, `CONNECTION_FAILED`.
    public var code: String
    /// A message for the reply and the dead letter; never holds a secret.
    public var message: String
    /// The HTTP status, when an answer came back.
    public var httpStatus: Int?
    /// The delay the API asked for with `Retry-After`, when it did.
    public var retryAfter: Duration?

    /// Whether the error is of a transient kind (the reply's `error.retryable`).
    public var retryable: Bool { kind != .permanent }

    public init(kind: Kind, code: String, message: String, httpStatus: Int? = nil, retryAfter: Duration? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    /// A failure the client names itself (``ClientFailureCode``), as no API answer named it.
    public init(kind: Kind, code: ClientFailureCode, message: String, httpStatus: Int? = nil, retryAfter: Duration? = nil) {
        self.init(kind: kind, code: code.code, message: message, httpStatus: httpStatus, retryAfter: retryAfter)
    }
}
