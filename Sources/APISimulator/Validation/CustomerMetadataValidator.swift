/// API 1's request rules, as `customer-metadata-api.md` states them.
///
/// Required: `externalConversationId`, `externalCustomerId`. Every other member is optional
/// and nullable. Patterns are full matches; `maxLength` counts Unicode code points, as JSON
/// Schema does. `attributes` holds at most 10 objects whose `name` (≤ 256) and `value`
/// (≤ 1024) are strings. Members the document does not name are ignored, as JSON Schema
/// allows by default.
enum CustomerMetadataValidator {
    /// One string member of the request and its rule.
    struct StringRule: Sendable {
        let name: String
        let required: Bool
        let format: Format
        let maxLength: Int?
    }

    /// How a string member's content is checked.
    enum Format: Sendable {
        case pattern(CharacterClass)
        case email
    }

    static let stringRules: [StringRule] = [
        StringRule(name: "externalConversationId", required: true, format: .pattern(.identifier), maxLength: 256),
        StringRule(name: "externalCustomerId", required: true, format: .pattern(.customerIdentifier), maxLength: 256),
        StringRule(name: "eventId", required: false, format: .pattern(.identifier), maxLength: 256),
        StringRule(name: "status", required: false, format: .pattern(.identifier), maxLength: 256),
        StringRule(name: "phoneNumber", required: false, format: .pattern(.phoneNumber), maxLength: 32),
        StringRule(name: "emailAddress", required: false, format: .email, maxLength: nil),
        StringRule(name: "userId", required: false, format: .pattern(.identifier), maxLength: 256),
        StringRule(name: "addressCountry", required: false, format: .pattern(.identifier), maxLength: 128),
        StringRule(name: "addressState", required: false, format: .pattern(.identifier), maxLength: 128),
        StringRule(name: "addressZipcode", required: false, format: .pattern(.identifier), maxLength: 16),
    ]

    static let maximumAttributes = 10
    static let maximumAttributeNameLength = 256
    static let maximumAttributeValueLength = 1024

    /// The request's `eventId` when it is valid, or the message of the first rule it breaks
    /// (the text after `FAIL_BAD_PARAMS: ERROR: ` in the answer).
    static func validate(_ body: JSONValue) -> Result<String?, ValidationFailure> {
        guard case .object = body else {
            return .failure(ValidationFailure("request body must be a JSON object"))
        }
        var eventId: String?
        for rule in stringRules {
            switch body.member(rule.name) {
            case nil, .null?:
                if rule.required {
                    return .failure(ValidationFailure("\(rule.name) is required"))
                }
            case .string(let text)?:
                if let failure = check(text, against: rule) {
                    return .failure(failure)
                }
                if rule.name == "eventId" { eventId = text }
            case let other?:
                return .failure(ValidationFailure("\(rule.name) must be a string, not \(other.typeName)"))
            }
        }
        if let failure = checkAttributes(body.member("attributes")) {
            return .failure(failure)
        }
        return .success(eventId)
    }

    private static func check(_ text: String, against rule: StringRule) -> ValidationFailure? {
        if let maxLength = rule.maxLength, Self.length(of: text, exceeds: maxLength) {
            return ValidationFailure("\(rule.name) is longer than \(maxLength) characters")
        }
        switch rule.format {
        case .pattern(let characterClass):
            if !characterClass.fullyMatches(text) {
                return ValidationFailure("\(rule.name) does not match \(characterClass.pattern)")
            }
        case .email:
            if !FormatRules.isEmailAddress(text) {
                return ValidationFailure("\(rule.name) is not an email address")
            }
        }
        return nil
    }

    /// Whether `text` has more than `maxLength` code points; the UTF-8 count, never smaller,
    /// answers most cases without walking the scalars.
    static func length(of text: String, exceeds maxLength: Int) -> Bool {
        let bytes = text.utf8.count
        if bytes <= maxLength { return false }
        return text.unicodeScalars.count > maxLength
    }

    private static func checkAttributes(_ attributes: JSONValue?) -> ValidationFailure? {
        switch attributes {
        case nil, .null?:
            return nil
        case .array(let items)?:
            guard items.count <= maximumAttributes else {
                return ValidationFailure("attributes has more than \(maximumAttributes) items")
            }
            for (position, item) in items.enumerated() {
                guard case .object = item else {
                    return ValidationFailure("attributes[\(position)] must be an object")
                }
                let limits = [("name", maximumAttributeNameLength), ("value", maximumAttributeValueLength)]
                for (member, maxLength) in limits {
                    switch item.member(member) {
                    case nil:
                        continue
                    case .string(let text)?:
                        if Self.length(of: text, exceeds: maxLength) {
                            return ValidationFailure("attributes[\(position)].\(member) is longer than \(maxLength) characters")
                        }
                    case let other?:
                        return ValidationFailure("attributes[\(position)].\(member) must be a string, not \(other.typeName)")
                    }
                }
            }
            return nil
        case let other?:
            return ValidationFailure("attributes must be an array, not \(other.typeName)")
        }
    }
}

/// The first rule a request breaks, in words.
struct ValidationFailure: Error, Equatable, Sendable {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
