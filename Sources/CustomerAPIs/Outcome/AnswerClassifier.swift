import Foundation

/// Turns an API's answer into the outcome docs/contract.md, "Outcomes", gives it.
///
/// By status: 2xx is read for the API's own verdict; API 1's 409 is a success with `duplicate`;
/// 401/403 are an outage; 408, 429 and 5xx are transient; 3xx and every other status are permanent.
/// A body that is not JSON (a proxy's HTML page) leaves the status alone to decide.
enum AnswerClassifier {
    /// API 2's error codes that mean "try again later", whatever the HTTP status.
    static let transientAPICodes: Set<String> = ["GLOBAL_1001"]

    /// The outcome of `answer` from the API that serves `kind`; `now` dates a `Retry-After` given as an HTTP date.
    static func classify(_ answer: APIAnswer, kind: EventKind, now: Date = Date()) -> APIOutcome {
        let fields = answer.body.flatMap(AnswerFields.init(json:))
        let retryAfter = answer.retryAfter.flatMap { RetryAfter.parse($0, now: now) }
        let status = answer.status

        switch status {
        case 200..<300:
            return classifyAccepted(status: status, fields: fields, kind: kind, retryAfter: retryAfter)
        case 409 where kind == .customerMetadata:
            return .success(APISuccess(httpStatus: status, resultID: fields?.resultEventID, duplicate: true))
        case 401, 403:
            return failure(.outage, status: status, fields: fields, kind: kind, retryAfter: retryAfter, body: answer.body)
        case 408, 429, 500..<600:
            return failure(.transient, status: status, fields: fields, kind: kind, retryAfter: retryAfter, body: answer.body)
        default:
            // 3xx (redirects are never followed), every other 4xx, and statuses HTTP does not define.
            var kindOfFailure = APIFailure.Kind.permanent
            if let code = fields?.errorCode, transientAPICodes.contains(code) {
                kindOfFailure = .transient  // API 2's GLOBAL_1001 on whatever status
            }
            return failure(kindOfFailure, status: status, fields: fields, kind: kind, retryAfter: retryAfter, body: answer.body)
        }
    }

    /// A 2xx answer: success unless the body carries the API's own error.
    private static func classifyAccepted(status: Int, fields: AnswerFields?, kind: EventKind, retryAfter: Duration?) -> APIOutcome {
        guard let fields else {
            // Not JSON, or too long to read: the status alone decides.
            return .success(APISuccess(httpStatus: status, resultID: nil))
        }
        switch kind {
        case .customerMetadata:
            if fields.resultError != nil || fields.errorObjectCode != nil {
                return failure(.permanent, status: status, fields: fields, kind: kind, retryAfter: retryAfter, body: nil)
            }
            return .success(APISuccess(httpStatus: status, resultID: fields.resultEventID))
        case .externalParams:
            if let code = fields.errorCode {
                let failureKind: APIFailure.Kind = transientAPICodes.contains(code) ? .transient : .permanent
                return failure(failureKind, status: status, fields: fields, kind: kind, retryAfter: retryAfter, body: nil)
            }
            return .success(APISuccess(httpStatus: status, resultID: fields.requestID))
        }
    }

    private static func failure(
        _ kind: APIFailure.Kind, status: Int, fields: AnswerFields?, kind eventKind: EventKind,
        retryAfter: Duration?, body: [UInt8]?
    ) -> APIOutcome {
        let code = fields.flatMap(apiCode) ?? ClientFailureCode.httpStatus(status).code
        var message = "HTTP \(status) from the \(eventKind.apiName)"
        if let apiMessage = fields.flatMap(apiMessage) {
            message += ": " + apiMessage
        } else if fields == nil, let body, !body.isEmpty {
            message += " (the body is not JSON)"
        }
        return .failure(APIFailure(
            kind: kind, code: bounded(code, to: 64), message: bounded(message, to: 512),
            httpStatus: status, retryAfter: retryAfter
        ))
    }

    /// The API's own error code: API 2's `errorCode`, the error object's `code`, or the text before
    /// the first `:` of API 1's `result.error` (the whole text when it is a single word).
    static func apiCode(_ fields: AnswerFields) -> String? {
        if let code = fields.errorCode { return code }
        if let code = fields.errorObjectCode { return code }
        guard let error = fields.resultError else { return nil }
        let prefix: Substring
        if let colon = error.firstIndex(of: ":") {
            prefix = error[..<colon]
        } else {
            prefix = Substring(error)
        }
        let code = prefix.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, !code.contains(where: \.isWhitespace) else { return nil }
        return code
    }

    /// The API's own description of the error.
    private static func apiMessage(_ fields: AnswerFields) -> String? {
        fields.errorMessage ?? fields.errorObjectMessage ?? fields.resultError
    }

    private static func bounded(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

extension EventKind {
    /// The API's name in messages.
    var apiName: String {
        switch self {
        case .customerMetadata: return "customer-metadata API"
        case .externalParams: return "external-params API"
        }
    }
}
