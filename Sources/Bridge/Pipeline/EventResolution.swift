import CustomerAPIs

/// How an event ended, as its reply and dead letter report it (docs/contract.md, "Replies").
struct EventResolution: Sendable, Equatable {
    /// The reply's `status`.
    enum Status: String, Sendable {
        case succeeded, failed, rejected
    }

    /// The reply's `error` member.
    struct ErrorInfo: Sendable, Equatable {
        var code: String
        var message: String
        var retryable: Bool
    }

    var status: Status
    var attempts: Int
    var httpStatus: Int?
    /// API 1's `result.eventId` or API 2's `requestId`.
    var resultID: String?
    var duplicate: Bool
    var error: ErrorInfo?

    /// Whether the event goes to the dead-letter topic too.
    var isDeadLettered: Bool { status != .succeeded }

    static func rejected(_ rejection: EventRejection) -> EventResolution {
        EventResolution(
            status: .rejected, attempts: 0, httpStatus: nil, resultID: nil, duplicate: false,
            error: ErrorInfo(code: rejection.code, message: rejection.message, retryable: false)
        )
    }

    static func succeeded(_ success: APISuccess, attempts: Int) -> EventResolution {
        EventResolution(
            status: .succeeded, attempts: attempts, httpStatus: success.httpStatus,
            resultID: success.resultID, duplicate: success.duplicate, error: nil
        )
    }

    static func failed(_ failure: APIFailure, attempts: Int) -> EventResolution {
        EventResolution(
            status: .failed, attempts: attempts, httpStatus: failure.httpStatus, resultID: nil, duplicate: false,
            error: ErrorInfo(code: failure.code, message: failure.message, retryable: failure.retryable)
        )
    }
}
