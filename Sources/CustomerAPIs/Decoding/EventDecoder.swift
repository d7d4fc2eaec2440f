/// Turns one Kafka record into a ``DecodedEvent``: its id, correlation and trace context, and
/// either the API request to send or why the event is rejected (docs/contract.md, "Events" and "Outcomes").
///
/// Decoding never traps and never throws: a tombstone, a record over the size limit, text
/// that is not JSON and an event breaking a rule all come back as `.rejected` with a code
/// (`INVALID_JSON`, `EVENT_TOO_LARGE`, `INVALID_EVENT`) and a message naming field and rule.
public struct EventDecoder: Sendable {
    /// The settings decoding follows.
    public let settings: EventDecoderSettings
    private let parser = JSONParser()
    private let fallbackCustomerID: String?

    /// Creates a decoder following `settings`.
    public init(settings: EventDecoderSettings) {
        self.settings = settings
        let trimmed = settings.externalParamsCustomerID.map(TextNormalization.trimmed)
        fallbackCustomerID = trimmed?.isEmpty == false ? trimmed : nil
    }

    /// Decodes `record`, an event of `kind` (the kind comes from the record's topic).
    public func decode(_ record: EventRecord, kind: EventKind) -> DecodedEvent {
        let headers = RecordHeaders(record.headers)
        var cloudEventsID = headers.cloudEventsID

        /// docs/contract.md, "Event id": the payload's id, else the CloudEvents id, else `event-id`, else derived.
        func eventID(payloadEventID: String? = nil) -> String {
            payloadEventID
                ?? cloudEventsID.map(EventID.normalized)
                ?? headers.eventID.map(EventID.normalized)
                ?? EventID.derived(topic: record.topic, partition: record.partition, offset: record.offset)
        }
        func finish(_ decision: DecodedEvent.Decision, eventID: String) -> DecodedEvent {
            DecodedEvent(
                kind: kind, eventID: eventID, correlationID: headers.correlationID ?? eventID,
                traceparent: headers.traceparent, decision: decision
            )
        }
        func reject(_ rejection: EventRejection) -> DecodedEvent {
            finish(.rejected(rejection), eventID: eventID())
        }

        guard let value = record.value else {
            // docs/contract.md, "Payload forms": a tombstone is an invalid event, dead-lettered like any other.
            return reject(EventRejection(
                code: EventRejection.invalidEventCode, rule: "value",
                message: "the record has no value (a tombstone); an event is a JSON object"
            ))
        }
        guard value.count <= settings.maxEventBytes else {
            return reject(EventRejection(
                code: EventRejection.eventTooLargeCode, rule: "maxEventBytes \(settings.maxEventBytes)",
                message: "the record value has \(value.count) bytes, more than BRIDGE_MAX_EVENT_BYTES (\(settings.maxEventBytes))"
            ))
        }

        let document: JSONValue
        do throws(JSONParseError) {
            document = try parser.parse(value)
        } catch {
            return reject(EventRejection(
                code: EventRejection.invalidJSONCode, rule: "JSON", message: "the record value is not JSON text: \(error)"
            ))
        }
        guard case .object(var payload) = document else {
            return reject(.wrongType("event", expected: "JSON object", got: document))
        }

        if CloudEventsEnvelope.isEnvelope(payload) {
            let envelope = CloudEventsEnvelope(payload, parser: parser)
            if let id = envelope.id { cloudEventsID = id }
            switch envelope.payload {
            case .success(let members): payload = members
            case .failure(let rejection): return reject(rejection)
            }
        }

        let id: String
        do throws(EventRejection) {
            id = eventID(payloadEventID: try Self.payloadEventID(payload))
        } catch {
            return reject(error)
        }
        do throws(EventRejection) {
            return finish(.request(try request(kind: kind, payload: payload, eventID: id)), eventID: id)
        } catch {
            return finish(.rejected(error), eventID: id)
        }
    }

    /// The request for a payload of `kind`, validated.
    private func request(kind: EventKind, payload: [JSONMember], eventID: String) throws(EventRejection) -> APIRequest {
        switch kind {
        case .customerMetadata:
            try CustomerMetadataMapping.request(payload: payload, eventID: eventID)
        case .externalParams:
            try ExternalParamsMapping.request(payload: payload, fallbackCustomerID: fallbackCustomerID)
        }
    }

    /// The payload's own `eventId`: `nil` when absent, null or blank; rejected unless it is a
    /// string fitting API 1's pattern and length.
    static func payloadEventID(_ payload: [JSONMember]) throws(EventRejection) -> String? {
        for member in payload where member.name == "eventId" {
            guard let id = try FieldRules.optionalText(member.value, field: "eventId", reading: .string) else { return nil }
            try FieldRules.check(id, field: "eventId", pattern: .identifier, maxLength: EventID.maxLength)
            return id
        }
        return nil
    }
}
