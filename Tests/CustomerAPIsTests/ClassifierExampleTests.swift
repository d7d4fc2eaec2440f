import Foundation
import Testing
@testable import CustomerAPIs

/// Every response example of both API documents, classified as docs/contract.md, "Outcomes", says.
@Suite struct ClassifierExampleTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: EventKind
        var status: Int
        var body: String
        var expected: APIOutcome
        var testDescription: String { name }
    }

    static let eventID = "5484e507-feaf-11ec-bfc1-fda566fa9333"

    static func failure(_ kind: APIFailure.Kind, _ code: String, _ status: Int) -> (APIFailure.Kind, String, Int) {
        (kind, code, status)
    }

    static let successRows: [Row] = [
        Row(name: "API 1 200 without error", kind: .customerMetadata, status: 200, body: DocumentExamples.api1ResultOK,
            expected: .success(APISuccess(httpStatus: 200, resultID: eventID))),
        Row(name: "API 1 200 with blank error", kind: .customerMetadata, status: 200, body: DocumentExamples.api1ResultBlankError,
            expected: .success(APISuccess(httpStatus: 200, resultID: eventID))),
        Row(name: "API 1 409 conflict = duplicate", kind: .customerMetadata, status: 409,
            body: DocumentExamples.api1Error(code: "409-01", message: "Conflict"),
            expected: .success(APISuccess(httpStatus: 409, resultID: nil, duplicate: true))),
        Row(name: "API 2 success ACK", kind: .externalParams, status: 200, body: DocumentExamples.api2SuccessACK,
            expected: .success(APISuccess(httpStatus: 200, resultID: "ff74dca6-8e7f-4b85-a42b-13860913b370"))),
    ]

    @Test(arguments: successRows)
    func successExamples(row: Row) {
        let outcome = AnswerClassifier.classify(APIAnswer(status: row.status, body: Array(row.body.utf8)), kind: row.kind)
        #expect(outcome == row.expected)
    }

    struct FailureRow: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: EventKind
        var status: Int
        var body: String
        var failureKind: APIFailure.Kind
        var code: String
        var messageContains: String
        var testDescription: String { name }
    }

    static let failureRows: [FailureRow] = [
        FailureRow(name: "API 1 200 with error text", kind: .customerMetadata, status: 200, body: DocumentExamples.api1ResultWithError,
                   failureKind: .permanent, code: "FAIL_BAD_PARAMS", messageContains: "agent id cannot be blank"),
        FailureRow(name: "API 1 400 with error text", kind: .customerMetadata, status: 400, body: DocumentExamples.api1ResultWithError,
                   failureKind: .permanent, code: "FAIL_BAD_PARAMS", messageContains: "agent id cannot be blank"),
        FailureRow(name: "API 1 401", kind: .customerMetadata, status: 401, body: DocumentExamples.api1Error(code: "401-01", message: "Unauthorized"),
                   failureKind: .outage, code: "401-01", messageContains: "Unauthorized"),
        FailureRow(name: "API 1 403", kind: .customerMetadata, status: 403, body: DocumentExamples.api1Error(code: "403-01", message: "Forbidden Response"),
                   failureKind: .outage, code: "403-01", messageContains: "Forbidden Response"),
        FailureRow(name: "API 1 404", kind: .customerMetadata, status: 404, body: DocumentExamples.api1Error(code: "404-01", message: "Not Found"),
                   failureKind: .permanent, code: "404-01", messageContains: "Not Found"),
        FailureRow(name: "API 1 413", kind: .customerMetadata, status: 413, body: DocumentExamples.api1Error(code: "413-01", message: "Request Entity Too Large"),
                   failureKind: .permanent, code: "413-01", messageContains: "Too Large"),
        FailureRow(name: "API 1 422", kind: .customerMetadata, status: 422, body: DocumentExamples.api1Error(code: "422-01", message: "Unprocessable Entity"),
                   failureKind: .permanent, code: "422-01", messageContains: "Unprocessable"),
        FailureRow(name: "API 1 429", kind: .customerMetadata, status: 429, body: DocumentExamples.api1Error(code: "429-01", message: "Too Many Requests"),
                   failureKind: .transient, code: "429-01", messageContains: "Too Many Requests"),
        FailureRow(name: "API 1 503", kind: .customerMetadata, status: 503, body: DocumentExamples.api1Error(code: "503-01", message: "Service Unavailable"),
                   failureKind: .transient, code: "503-01", messageContains: "Service Unavailable"),
        FailureRow(name: "API 1 default (500)", kind: .customerMetadata, status: 500, body: DocumentExamples.api1Error(code: "500-01", message: "Internal server error"),
                   failureKind: .transient, code: "500-01", messageContains: "Internal server error"),
        FailureRow(name: "API 2 failure NAK GLOBAL_1001", kind: .externalParams, status: 200, body: DocumentExamples.api2FailureNAK,
                   failureKind: .transient, code: "GLOBAL_1001", messageContains: "Service unavailable"),
        FailureRow(name: "API 2 GLOBAL_1001 on a 400", kind: .externalParams, status: 400, body: DocumentExamples.api2FailureNAK,
                   failureKind: .transient, code: "GLOBAL_1001", messageContains: "Service unavailable"),
        FailureRow(name: "API 2 CUSTOMER_1024", kind: .externalParams, status: 200, body: DocumentExamples.api2Customer1024,
                   failureKind: .permanent, code: "CUSTOMER_1024", messageContains: "Failed to create"),
        FailureRow(name: "API 2 409 is not a duplicate", kind: .externalParams, status: 409, body: DocumentExamples.api2Customer1024,
                   failureKind: .permanent, code: "CUSTOMER_1024", messageContains: "HTTP 409"),
        FailureRow(name: "HTML 502 from a proxy", kind: .customerMetadata, status: 502, body: DocumentExamples.proxyHTML502,
                   failureKind: .transient, code: "HTTP_502", messageContains: "not JSON"),
        FailureRow(name: "HTML 404 from a proxy", kind: .externalParams, status: 404, body: DocumentExamples.proxyHTML502,
                   failureKind: .permanent, code: "HTTP_404", messageContains: "HTTP 404"),
        FailureRow(name: "302 redirect", kind: .customerMetadata, status: 302, body: "",
                   failureKind: .permanent, code: "HTTP_302", messageContains: "HTTP 302"),
        FailureRow(name: "408 without body", kind: .externalParams, status: 408, body: "",
                   failureKind: .transient, code: "HTTP_408", messageContains: "HTTP 408"),
        FailureRow(name: "API 1 401 without body", kind: .customerMetadata, status: 401, body: "",
                   failureKind: .outage, code: "HTTP_401", messageContains: "HTTP 401"),
    ]

    @Test(arguments: failureRows)
    func failureExamples(row: FailureRow) throws {
        let outcome = AnswerClassifier.classify(APIAnswer(status: row.status, body: Array(row.body.utf8)), kind: row.kind)
        guard case .failure(let failure) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(failure.kind == row.failureKind)
        #expect(failure.code == row.code)
        #expect(failure.httpStatus == row.status)
        #expect(failure.message.contains(row.messageContains), "message: \(failure.message)")
    }

    @Test func nonJSONSuccessIsClassifiedByStatusAlone() {
        let outcome = AnswerClassifier.classify(APIAnswer(status: 200, body: Array("OK".utf8)), kind: .customerMetadata)
        #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: nil)))
    }

    @Test func bodyTooLongIsClassifiedByStatusAlone() {
        #expect(AnswerClassifier.classify(APIAnswer(status: 200, body: nil), kind: .externalParams)
            == .success(APISuccess(httpStatus: 200, resultID: nil)))
        guard case .failure(let failure) = AnswerClassifier.classify(APIAnswer(status: 503, body: nil), kind: .externalParams) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.code == "HTTP_503")
        #expect(failure.kind == .transient)
    }

    @Test func unexpectedMemberTypesAreIgnored() {
        let body = #"{"result":{"eventId":42,"error":["x"]},"error":"text","errorCode":null,"content":{"requestId":1}}"#
        let outcome = AnswerClassifier.classify(APIAnswer(status: 200, body: Array(body.utf8)), kind: .customerMetadata)
        #expect(outcome == .success(APISuccess(httpStatus: 200, resultID: "42")))
    }

    @Test func resultErrorWithoutColonOrWithSpacesFallsBackSensibly() {
        let single = AnswerFields(json: Array(#"{"result":{"error":"THROTTLED"}}"#.utf8))
        #expect(single.flatMap(AnswerClassifier.apiCode) == "THROTTLED")
        let sentence = AnswerFields(json: Array(#"{"result":{"error":"something went wrong"}}"#.utf8))
        #expect(sentence.flatMap(AnswerClassifier.apiCode) == nil)
        guard case .failure(let failure) = AnswerClassifier.classify(
            APIAnswer(status: 200, body: Array(#"{"result":{"error":"something went wrong"}}"#.utf8)), kind: .customerMetadata)
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.code == "HTTP_200")
        #expect(failure.kind == .permanent)
    }

    @Test func retryAfterIsCarriedOnTheFailure() {
        let answer = APIAnswer(status: 429, retryAfter: "7", body: Array(DocumentExamples.api1Error(code: "429-01", message: "Too Many Requests").utf8))
        guard case .failure(let failure) = AnswerClassifier.classify(answer, kind: .customerMetadata) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.retryAfter == .seconds(7))
    }
}
