import Testing
@testable import CustomerAPIs

/// One row of a validation table: a member set on a valid base event, and what must come of it.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// Accepted, the request body containing this text.
        case sends(String)
        /// Accepted, the request body not mentioning this member.
        case omits(String)
        /// Rejected with `INVALID_EVENT` for this field and rule.
        case rejects(field: String, rule: String)
    }

    /// The payload member set (or removed, when `json` is `nil`).
    var member: String
    /// The member's value as JSON text.
    var json: String?
    var expectation: Expectation

    init(_ member: String, _ json: String?, _ expectation: Expectation) {
        self.member = member
        self.json = json
        self.expectation = expectation
    }

    var testDescription: String {
        let shown = json.map { $0.count > 40 ? "\($0.prefix(30))…(\($0.count) chars)" : $0 } ?? "absent"
        return "\(member) = \(shown)"
    }

    /// A JSON string literal of `count` copies of `character`.
    static func string(_ count: Int, _ character: Character = "a") -> String {
        "\"" + String(repeating: character, count: count) + "\""
    }

    /// The base payload with this row's member replaced, added or removed.
    func payload(base: [(String, String)]) -> String {
        var members = base.filter { $0.0 != member }
        if let json { members.append((member, json)) }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Checks the decoded event against the expectation; returns a description of a mismatch.
    func mismatch(in event: DecodedEvent) -> String? {
        switch expectation {
        case .sends(let fragment):
            guard let body = event.bodyText else { return "rejected: \(event.rejection?.message ?? "")" }
            return body.contains(fragment) ? nil : "body \(body) lacks \(fragment)"
        case .omits(let key):
            guard let body = event.bodyText else { return "rejected: \(event.rejection?.message ?? "")" }
            return body.contains("\"\(key)\"") ? "body \(body) has \(key)" : nil
        case .rejects(let field, let rule):
            guard let rejection = event.rejection else { return "accepted: \(event.bodyText ?? "")" }
            guard rejection.code == "INVALID_EVENT", rejection.field == field, rejection.rule == rule,
                  rejection.message.contains(field), rejection.message.contains(rule) else {
                return "rejected as \(rejection)"
            }
            return nil
        }
    }
}
