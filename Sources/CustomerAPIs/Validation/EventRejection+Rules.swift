extension EventRejection {
    /// The code of every decoding or validation failure of a parsed event.
    static let invalidEventCode = "INVALID_EVENT"
    /// The code of a record that is not JSON text.
    static let invalidJSONCode = "INVALID_JSON"
    /// The code of a record over the size limit.
    static let eventTooLargeCode = "EVENT_TOO_LARGE"

    /// An `INVALID_EVENT` rejection: `field` broke `rule`; `detail` says how, without echoing the value.
    static func invalid(_ field: String, rule: String, _ detail: String) -> EventRejection {
        EventRejection(
            code: invalidEventCode,
            field: field,
            rule: rule,
            message: "\(field): \(detail) (rule: \(rule))"
        )
    }

    /// The field is missing, null or empty but must be given.
    static func required(_ field: String) -> EventRejection {
        invalid(field, rule: "required", "is required")
    }

    /// The field has the wrong JSON type.
    static func wrongType(_ field: String, expected: String, got value: JSONValue) -> EventRejection {
        invalid(field, rule: "type \(expected)", "must be \(expected), got \(value.typeName)")
    }
}

/// How a scalar field's value is read before its rules are checked.
enum ScalarReading {
    /// Only strings (trimmed) are accepted.
    case string
    /// Strings (trimmed) and numbers (their text) are accepted.
    case stringOrNumber
    /// Strings, numbers and booleans (`true`/`false`) are accepted: attribute and param values.
    case anyScalar
}

/// Checks shared by both kinds of event.
enum FieldRules {
    /// The text of an optional scalar: `nil` when absent, null, or empty after trimming.
    static func optionalText(
        _ value: JSONValue?, field: String, reading: ScalarReading = .stringOrNumber
    ) throws(EventRejection) -> String? {
        guard let value else { return nil }
        switch value {
        case .null:
            return nil
        case .string(let text):
            let trimmed = TextNormalization.trimmed(text)
            return trimmed.isEmpty ? nil : trimmed
        case .number(let text):
            guard reading != .string else { throw .wrongType(field, expected: "string", got: value) }
            return text
        case .bool(let flag):
            guard case .anyScalar = reading else { throw .wrongType(field, expected: "string", got: value) }
            return flag ? "true" : "false"
        case .array, .object:
            throw .wrongType(field, expected: reading == .anyScalar ? "string, number or boolean" : "string", got: value)
        }
    }

    /// The text of a required scalar, rejected when absent, null or empty after trimming.
    static func requiredText(
        _ value: JSONValue?, field: String, reading: ScalarReading = .stringOrNumber
    ) throws(EventRejection) -> String {
        guard let text = try optionalText(value, field: field, reading: reading) else { throw .required(field) }
        return text
    }

    /// Rejects `text` unless it matches `pattern` in full and has at most `maxLength` characters.
    static func check(_ text: String, field: String, pattern: FieldPattern, maxLength: Int) throws(EventRejection) {
        guard pattern.matchesWhole(text) else {
            throw .invalid(field, rule: "pattern \(pattern.source)", "must match \(pattern.source) in full")
        }
        try check(text, field: field, maxLength: maxLength)
    }

    /// Rejects `text` when it has more than `maxLength` characters.
    static func check(_ text: String, field: String, maxLength: Int) throws(EventRejection) {
        // Byte count bounds the character count from above: most values need no counting.
        guard text.utf8.count > maxLength else { return }
        let characters = TextNormalization.characterCount(text)
        guard characters <= maxLength else {
            throw .invalid(field, rule: "maxLength \(maxLength)", "has \(characters) characters, more than \(maxLength)")
        }
    }

    /// Rejects `text` unless it is a UUID (8-4-4-4-12 hex digits).
    static func checkUUID(_ text: String, field: String) throws(EventRejection) {
        guard UUIDFormat.matches(text) else {
            throw .invalid(field, rule: "uuid", "must be a UUID (8-4-4-4-12 hex digits)")
        }
    }
}
