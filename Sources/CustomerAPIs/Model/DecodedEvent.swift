/// What the decoder made of one record: its identity, and either a request or the reason it was rejected.
public struct DecodedEvent: Sendable, Equatable {
    /// What the bridge does with the event.
    public enum Decision: Sendable, Equatable {
        /// The event is valid: send this request.
        case request(APIRequest)
        /// The event failed decoding or validation: reply `rejected`, dead-letter it, send nothing.
        case rejected(EventRejection)
    }

    /// The event's kind, from its topic.
    public var kind: EventKind
    /// The id that names the event in replies, dead letters and API 1's `eventId` (docs/contract.md, "Event id").
    public var eventID: String
    /// The `correlation-id` header sent to the API and written on the reply.
    public var correlationID: String
    /// The record's `traceparent`, forwarded when present.
    public var traceparent: String?
    /// The request to send, or the rejection.
    public var decision: Decision

    public init(kind: EventKind, eventID: String, correlationID: String, traceparent: String?, decision: Decision) {
        self.kind = kind
        self.eventID = eventID
        self.correlationID = correlationID
        self.traceparent = traceparent
        self.decision = decision
    }
}

/// Why an event was rejected: an error code of docs/contract.md, "Error codes", and a message
/// naming the field and the rule.
public struct EventRejection: Error, Sendable, Equatable {
    /// `INVALID_EVENT`, `INVALID_JSON` or `EVENT_TOO_LARGE`.
    public var code: String
    /// The offending field as a path (`address.zipcode`, `params[2].configId`), when one is to blame.
    public var field: String?
    /// The rule it broke (`required`, `maxLength 256`, `pattern`, `uuid`, …), when one applies.
    public var rule: String?
    /// One line for an operator: names the field and the rule.
    public var message: String

    public init(code: String, field: String? = nil, rule: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.rule = rule
        self.message = message
    }
}
