@testable import CustomerAPIs

/// Builds records and reads decoded events for the decoding and validation tests.
enum DecodingTestSupport {
    static func record(
        _ text: String?, topic: String = "customer-events", partition: Int32 = 0, offset: Int64 = 42,
        headers: [(String, String)] = []
    ) -> EventRecord {
        EventRecord(
            topic: topic, partition: partition, offset: offset, key: nil,
            value: text.map { Array($0.utf8) },
            headers: headers.map { EventHeader(name: $0.0, value: Array($0.1.utf8)) }
        )
    }

    static func decode(
        _ text: String?, kind: EventKind = .customerMetadata, headers: [(String, String)] = [],
        settings: EventDecoderSettings = EventDecoderSettings()
    ) -> DecodedEvent {
        let topic = kind == .customerMetadata ? "customer-events" : "entity-events"
        return EventDecoder(settings: settings).decode(record(text, topic: topic, headers: headers), kind: kind)
    }
}

extension DecodedEvent {
    /// The request, when the event was accepted.
    var request: APIRequest? {
        if case .request(let request) = decision { return request }
        return nil
    }

    /// The rejection, when the event was rejected.
    var rejection: EventRejection? {
        if case .rejected(let rejection) = decision { return rejection }
        return nil
    }

    /// The request body as text, when the event was accepted.
    var bodyText: String? {
        request.map { String(decoding: $0.body, as: UTF8.self) }
    }
}
