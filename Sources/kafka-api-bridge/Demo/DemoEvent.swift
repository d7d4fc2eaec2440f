import Kafka

/// One sample event of the demo: what it shows, and the record that carries it.
struct DemoEvent: Sendable {
    /// The row of docs/contract.md, "Outcomes", it demonstrates.
    var shows: String
    var topic: String
    var key: String
    var value: String
    var headers: [KafkaHeader] = []

    var record: KafkaOutgoingRecord {
        KafkaOutgoingRecord(topic: topic, key: Array(key.utf8), value: Array(value.utf8), headers: headers)
    }

    /// The demo's events: every row of the outcome table. The simulator's faults (see `DemoRun`)
    /// pick out the failing ones by the text they carry.
    static func all(customerTopic: String, entityTopic: String) -> [DemoEvent] {
        [
            DemoEvent(
                shows: "success (API 1)", topic: customerTopic, key: "customer-1",
                value: """
                    {"conversationId":"issue509","customerId":"555.555.0100-jdoe@example.com","eventId":"eventId-1938",\
                    "status":"new","phone":"(555)555-0100","email":"jdoe@example.com","userId":"user908038",\
                    "address":{"country":"United States","state":"New York","zipcode":"10001"},\
                    "attributes":{"attr1_name":"attr1_value","attr2_name":"attr2_value"}}
                    """),
            DemoEvent(
                shows: "success (API 2, CloudEvents)", topic: entityTopic, key: "entity-1",
                value: """
                    {"specversion":"1.0","id":"ce-0001","type":"entity.params","source":"/demo",\
                    "data":{"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10",\
                    "entity":{"type":"product","id":"a5ad9f06-0164-4475-8919-fcf1d4a4befe"},\
                    "params":{"b8ad9f06-0104-9475-7919-ace1d4a4babe":9876543212}}}
                    """,
                headers: [KafkaHeader(name: "correlation-id", value: Array("order-77".utf8))]),
            DemoEvent(
                shows: "rejected (bad email)", topic: customerTopic, key: "customer-2",
                value: #"{"conversationId":"c-2","customerId":"cust-2","eventId":"demo-rejected","email":"not-an-email"}"#),
            DemoEvent(
                shows: "rejected (not JSON)", topic: entityTopic, key: "entity-2", value: "<xml>oops</xml>"),
            DemoEvent(
                shows: "permanent failure (422)", topic: customerTopic, key: "customer-3",
                value: #"{"conversationId":"c-3","customerId":"cust-3","eventId":"demo-permanent","userId":"unknown-user"}"#),
            DemoEvent(
                shows: "permanent failure (NAK)", topic: entityTopic, key: "entity-3",
                value: """
                    {"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","eventId":"demo-nak",\
                    "entity":{"type":"plan","id":"11111111-2222-3333-4444-555555555555"},\
                    "params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"nak-me"}]}
                    """),
            DemoEvent(
                shows: "transient, then success on retry", topic: entityTopic, key: "entity-4",
                value: """
                    {"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","eventId":"demo-transient",\
                    "entity":{"type":"subscriber","id":"99999999-8888-7777-6666-555555555555"},\
                    "params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"flaky"}]}
                    """),
            DemoEvent(
                shows: "outage (401): circuit opens, then closes", topic: customerTopic, key: "customer-4",
                value: #"{"conversationId":"c-4","customerId":"cust-4","eventId":"demo-outage","userId":"during-outage"}"#),
        ]
    }
}
