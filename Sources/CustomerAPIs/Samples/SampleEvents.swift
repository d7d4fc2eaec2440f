/// Sample record values of both kinds, valid and invalid, for `bench validation` and the tests.
///
/// Visible to this package's modules and tests only (`package`), not part of the library's API.
package enum SampleEvents {
    /// `count` record values cycling through a fixed mix: plain, API-1-shaped and CloudEvents
    /// customer events, entity events with params as array and object, and invalid ones (a bad
    /// email, a missing field, a bad UUID, an unknown entity type, text that is not JSON).
    /// Ids differ from one event to the next; the same `count` always gives the same events.
    package static func mixed(count: Int) -> [(kind: EventKind, value: [UInt8])] {
        (0..<max(0, count)).map { index in
            let template = templates[index % templates.count]
            return (template.kind, Array(template.text(index).utf8))
        }
    }

    /// How many of the events `mixed(count:)` cycles through are valid, per cycle.
    static var validPerCycle: Int { templates.filter(\.valid).count }

    /// How many events one cycle of `mixed(count:)` has.
    static var cycleLength: Int { templates.count }

    private struct Template: Sendable {
        var kind: EventKind
        var valid: Bool
        var text: @Sendable (Int) -> String
    }

    /// A UUID whose last group carries `index`, so every event's ids differ.
    private static func uuid(_ prefix: String, _ index: Int) -> String {
        let digits = String(index, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    private static let templates: [Template] = [
        Template(kind: .customerMetadata, valid: true) { index in
            #"{"conversationId":"issue\#(index)","customerId":"555.555.0100-jdoe@example.com","eventId":"eventId-\#(index)","status":"new","phone":"(555)555-0100","email":"jdoe@example.com","userId":"user908038","address":{"country":"United States","state":"New York","zipcode":"10001"},"attributes":{"attr2_name":"attr2_value","attr1_name":"attr1_value"}}"#
        },
        Template(kind: .externalParams, valid: true) { index in
            #"{"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","entity":{"type":"subscriber","id":"\#(uuid("a5ad9f06-0164-4475-8919-", index))"},"params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"9876543212"},{"configId":"a5ad9f06-0164-4475-8919-fcf1d4a4befe","value":13465798}]}"#
        },
        Template(kind: .customerMetadata, valid: true) { index in
            #"{"conversationId":"conv-\#(index)","customerId":"cust-\#(index)","attributes":[{"name":"tier","value":"gold"},{"name":"visits","value":7},{"name":"vip","value":true}]}"#
        },
        Template(kind: .customerMetadata, valid: true) { index in
            #"{"externalConversationId":"id-\#(index)","externalCustomerId":"555.555.0100-jdoe@example.com","eventId":"eventId-\#(index)","status":"new","phoneNumber":"(555)555-0100","emailAddress":"jdoe@example.com","addressCountry":"United-States","addressZipcode":"10001"}"#
        },
        Template(kind: .externalParams, valid: true) { index in
            #"{"eventId":"ent-\#(index)","customerId":"0B9A7C1E-4A6E-4F0E-9D4C-2F1D7E3B5A10","entity":{"type":"product","id":"\#(uuid("a5ad9f06-0164-4475-8919-", index))"},"params":{"b8ad9f06-0104-9475-7919-ace1d4a4babe":"on","c8ad9f06-0104-9475-7919-ace1d4a4babe":3.5}}"#
        },
        Template(kind: .customerMetadata, valid: true) { index in
            #"{"specversion":"1.0","id":"ce-\#(index)","source":"/crm","type":"customer.updated","datacontenttype":"application/json","data":{"conversationId":"ce-conv-\#(index)","customerId":"jdoe@example.com","status":"returning"}}"#
        },
        Template(kind: .customerMetadata, valid: false) { index in
            #"{"conversationId":"issue\#(index)","customerId":"555.555.0100-jdoe@example.com","email":"not-an-email","status":"new"}"#
        },
        Template(kind: .externalParams, valid: true) { index in
            #"{"specversion":"1.0","id":"ce-ent-\#(index)","source":"/billing","type":"entity.updated","data":"{\"customerId\":\"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10\",\"entity\":{\"type\":\"plan\",\"id\":\"a5ad9f06-0164-4475-8919-fcf1d4a4befe\"},\"params\":[{\"configId\":\"b8ad9f06-0104-9475-7919-ace1d4a4babe\",\"value\":false}]}"}"#
        },
        Template(kind: .customerMetadata, valid: false) { index in
            #"{"customerId":"cust-\#(index)","status":"new"}"#
        },
        Template(kind: .externalParams, valid: false) { index in
            #"{"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a1","entity":{"type":"subscriber","id":"a5ad9f06-0164-4475-8919-fcf1d4a4befe"},"params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"x"}]}"#
        },
        Template(kind: .externalParams, valid: false) { index in
            #"{"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","entity":{"type":"offer","id":"\#(uuid("a5ad9f06-0164-4475-8919-", index))"},"params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"x"}]}"#
        },
        Template(kind: .customerMetadata, valid: false) { index in
            "conversationId=issue\(index); not JSON"
        },
    ]
}
