import Kafka

/// Input events for the scenarios: valid customer and entity events, and poison of each kind.
enum ResilienceEvents {
    /// A valid customer event (API 1). Without `eventId` its id is derived from its position,
    /// which is what "a redone event keeps its id" is about.
    static func customer(_ index: Int, withEventID: Bool = false) -> KafkaOutgoingRecord {
        let eventID = withEventID ? #","eventId":"evt-\#(index)""# : ""
        let value = #"{"conversationId":"conv-\#(index)","customerId":"cust-\#(index % 5000)"\#(eventID),"status":"new","email":"user\#(index)@example.com","attributes":{"seq":\#(index)}}"#
        return KafkaOutgoingRecord(topic: ResilienceRig.customerTopic, key: Array("key-\(index % 997)".utf8), value: Array(value.utf8))
    }

    /// A valid entity event (API 2).
    static func entity(_ index: Int) -> KafkaOutgoingRecord {
        let suffix = String(index, radix: 16).leftPadded(to: 12)
        let value = #"{"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","eventId":"ent-\#(index)","entity":{"type":"subscriber","id":"a5ad9f06-0164-4475-8919-\#(suffix)"},"params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"\#(index)"}]}"#
        return KafkaOutgoingRecord(topic: ResilienceRig.entityTopic, key: Array("entity-\(index % 997)".utf8), value: Array(value.utf8))
    }

    /// `count` valid events, every `entityEvery`-th an entity event, the rest customer events.
    static func mixed(_ count: Int, entityEvery: Int = 4) -> [KafkaOutgoingRecord] {
        (0..<count).map { $0 % entityEvery == entityEvery - 1 ? entity($0) : customer($0) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
