/// The members of an answer body that classification looks at, from either API's shapes.
///
/// API 1 answers `{"result": {"eventId", "error"}}` or `{"error": {"requestId", "code", "message"}}`;
/// API 2 answers `{"errorCode", "errorMessage", "content": [{"requestId"}], "pageable"}`, where a
/// failure carries `"content": ""` and `"pageable": ""` (strings, not the documented objects).
/// Members of an unexpected type are ignored, never trapped on.
struct AnswerFields: Sendable, Equatable {
    /// API 1's `result.eventId`.
    var resultEventID: String?
    /// API 1's `result.error`, trimmed; empty counts as absent.
    var resultError: String?
    /// The `code` of an `error` object (`429-01`).
    var errorObjectCode: String?
    /// The `message` of an `error` object.
    var errorObjectMessage: String?
    /// API 2's `errorCode`, trimmed; empty counts as absent.
    var errorCode: String?
    /// API 2's `errorMessage`.
    var errorMessage: String?
    /// API 2's `content[0].requestId`.
    var requestID: String?

    /// Reads the fields of a JSON object body; `nil` when the body is not a JSON object.
    init?(json body: [UInt8]) {
        guard !body.isEmpty, let object = try? JSONParser().parse(body), case .object = object else { return nil }

        if let result = object[member: "result"], case .object = result {
            resultEventID = Self.text(result[member: "eventId"])
            resultError = Self.text(result[member: "error"])
        }
        if let error = object[member: "error"], case .object = error {
            errorObjectCode = Self.text(error[member: "code"])
            errorObjectMessage = Self.text(error[member: "message"])
        }
        errorCode = Self.text(object[member: "errorCode"])
        errorMessage = Self.text(object[member: "errorMessage"])
        if case .array(let content) = object[member: "content"], let first = content.first, case .object = first {
            requestID = Self.text(first[member: "requestId"])
        }
    }

    /// A member as trimmed text: strings as they are, numbers as their text; empty → `nil`.
    private static func text(_ value: JSONValue?) -> String? {
        let raw: String
        switch value {
        case .string(let string): raw = string
        case .number(let literal): raw = literal
        default: return nil
        }
        let trimmed = TextNormalization.trimmed(raw)
        return trimmed.isEmpty ? nil : trimmed
    }
}
