/// A parsed JSON document, as small as the validators need it.
///
/// Objects keep their members in document order as pairs, because request bodies are
/// small and a linear lookup over a handful of keys is cheaper than hashing them.
enum JSONValue: Sendable, Equatable {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    /// The number exactly as written in the document.
    case number(String)
    case bool(Bool)
    case null

    /// The value of the last member named `key`, when this is an object.
    func member(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The name of the JSON type, for error messages.
    var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)): left == right
        case (.array(let left), .array(let right)): left == right
        case (.string(let left), .string(let right)): left == right
        case (.number(let left), .number(let right)): left == right
        case (.bool(let left), .bool(let right)): left == right
        case (.null, .null): true
        default: false
        }
    }
}

/// One member of a JSON object. A struct rather than a labelled tuple: arrays of tuples need
/// their type metadata built at run time, on every parse.
struct JSONMember: Sendable, Equatable {
    let key: String
    let value: JSONValue
}
