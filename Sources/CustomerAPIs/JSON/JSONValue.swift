/// A parsed JSON value that keeps what matters for passing data on faithfully:
/// numbers keep their exact text, and object members keep their order.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as the exact text it had in the document (`7`, `3.50`, `1e3`).
    case number(String)
    /// A string, unescaped.
    case string(String)
    /// An array, in document order.
    case array([JSONValue])
    /// An object, its members in document order; names are unique (the parser rejects duplicates).
    case object([JSONMember])
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The member's name, unescaped.
    public var name: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member named `name` holding `value`.
    public init(name: String, value: JSONValue) {
        self.name = name
        self.value = value
    }
}

extension JSONValue {
    /// The value of the member named `name` when this is an object that has one, else `nil`.
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.name == name {
            return member.value
        }
        return nil
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type's name as a message would say it (`object`, `string`, …).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
