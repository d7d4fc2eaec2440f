#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A CloudEvents 1.0 structured-mode envelope (`specversion` + `data`) around an event payload.
struct CloudEventsEnvelope {
    /// The envelope's `id`, when it has a usable one.
    var id: String?
    /// The payload object, or why there is none.
    var payload: Result<[JSONMember], EventRejection>

    /// Whether `members` are an envelope rather than a payload: they have `specversion`.
    static func isEnvelope(_ members: [JSONMember]) -> Bool {
        members.contains { $0.name == "specversion" }
    }

    /// Reads the envelope's `id` and its payload from `data` (an object, or a string holding
    /// JSON) or `data_base64` (base64 of JSON).
    init(_ members: [JSONMember], parser: JSONParser) {
        var specVersion, data, dataBase64: JSONValue?
        for member in members {
            switch member.name {
            case "specversion": specVersion = member.value
            case "id":
                switch member.value {
                case .string(let text) where !text.isEmpty: id = text
                case .number(let text): id = text
                default: break
                }
            case "data": data = member.value
            case "data_base64": dataBase64 = member.value
            default: break
            }
        }
        payload = Self.payload(specVersion: specVersion, data: data, dataBase64: dataBase64, parser: parser)
    }

    private static func payload(
        specVersion: JSONValue?, data: JSONValue?, dataBase64: JSONValue?, parser: JSONParser
    ) -> Result<[JSONMember], EventRejection> {
        guard specVersion?.stringValue == "1.0" else {
            return .failure(.invalid("specversion", rule: "CloudEvents 1.0", "must be \"1.0\""))
        }
        switch (data, dataBase64) {
        case (.some, .some):
            return .failure(.invalid("data_base64", rule: "CloudEvents data", "must not be given together with data"))
        case (.some(let data), nil):
            switch data {
            case .object(let members):
                return .success(members)
            case .string(let text):
                return parseObject(Array(text.utf8), field: "data", parser: parser)
            default:
                return .failure(.wrongType("data", expected: "object or string holding JSON", got: data))
            }
        case (nil, .some(let encoded)):
            guard case .string(let text) = encoded, let decoded = Data(base64Encoded: text) else {
                return .failure(.invalid("data_base64", rule: "base64", "must be base64 text"))
            }
            return parseObject(Array(decoded), field: "data_base64", parser: parser)
        case (nil, nil):
            return .failure(.required("data"))
        }
    }

    private static func parseObject(_ bytes: [UInt8], field: String, parser: JSONParser) -> Result<[JSONMember], EventRejection> {
        switch Result(catching: { () throws(JSONParseError) -> JSONValue in try parser.parse(bytes) }) {
        case .success(.object(let members)):
            return .success(members)
        case .success(let other):
            return .failure(.wrongType(field, expected: "JSON object", got: other))
        case .failure(let error):
            return .failure(EventRejection(
                code: EventRejection.invalidJSONCode, field: field, rule: "JSON",
                message: "\(field): not JSON text: \(error)"
            ))
        }
    }
}
