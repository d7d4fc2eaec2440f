import Foundation

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
        guard !body.isEmpty,
              let parsed = try? JSONSerialization.jsonObject(with: Data(body)),
              let object = parsed as? [String: Any]
        else { return nil }

        if let result = object["result"] as? [String: Any] {
            resultEventID = Self.text(result["eventId"])
            resultError = Self.text(result["error"])
        }
        if let error = object["error"] as? [String: Any] {
            errorObjectCode = Self.text(error["code"])
            errorObjectMessage = Self.text(error["message"])
        }
        errorCode = Self.text(object["errorCode"])
        errorMessage = Self.text(object["errorMessage"])
        if let content = object["content"] as? [Any], let first = content.first as? [String: Any] {
            requestID = Self.text(first["requestId"])
        }
    }

    /// A member as trimmed text: strings as they are, numbers as their text; empty → `nil`.
    private static func text(_ value: Any?) -> String? {
        let raw: String
        switch value {
        case let string as String: raw = string
        case let number as NSNumber where !(number is Bool): raw = number.stringValue
        default: return nil
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
