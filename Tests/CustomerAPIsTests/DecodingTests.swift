#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
import TestSupport
@testable import CustomerAPIs

@Suite struct DecodingTests {
    typealias Support = DecodingTestSupport

    static let payload = #"{"conversationId":"issue509","customerId":"jdoe@example.com","status":"new"}"#
    static let body = #"{"externalConversationId":"issue509","externalCustomerId":"jdoe@example.com","eventId":"EVENT_ID","status":"new"}"#
    static let derivedID = "kab-3077fc076334faa903aca47ea0c73736"  // printf 'customer-events/0/42' | sha256sum

    static func body(eventID: String) -> String {
        body.replacing("EVENT_ID", with: eventID)
    }

    // MARK: Payload forms

    @Test func plainJSONBecomesAnAPI1Request() throws {
        let event = Support.decode(Self.payload)
        let request = try #require(event.request)
        #expect(request.kind == .customerMetadata)
        #expect(request.method == "POST")
        #expect(request.path == "/metadata-ingestion/v1/single-customer-metadata")
        #expect(event.bodyText == Self.body(eventID: Self.derivedID))
        #expect(event.eventID == Self.derivedID)
        #expect(event.kind == .customerMetadata)
    }

    @Test func cloudEventsStructuredWithObjectData() {
        let event = Support.decode(#"{"specversion":"1.0","id":"ce-1","source":"/crm","type":"t","data":\#(Self.payload)}"#)
        #expect(event.eventID == "ce-1")
        #expect(event.bodyText == Self.body(eventID: "ce-1"))
    }

    @Test func cloudEventsStructuredWithDataAsAStringHoldingJSON() throws {
        var writer = JSONWriter()
        writer.string(Self.payload)
        let event = Support.decode(#"{"specversion":"1.0","id":"ce-2","source":"/crm","type":"t","data":\#(writer.text)}"#)
        #expect(event.eventID == "ce-2")
        #expect(event.bodyText == Self.body(eventID: "ce-2"))
    }

    @Test func cloudEventsStructuredWithDataBase64() {
        let encoded = Data(Self.payload.utf8).base64EncodedString()
        let event = Support.decode(#"{"specversion":"1.0","id":"ce-3","source":"/crm","type":"t","data_base64":"\#(encoded)"}"#)
        #expect(event.eventID == "ce-3")
        #expect(event.bodyText == Self.body(eventID: "ce-3"))
    }

    @Test func cloudEventsBinaryMode() {
        let headers = [("ce_specversion", "1.0"), ("ce_id", "ce-4"), ("ce_type", "customer.updated"), ("ce_source", "/crm"), ("content-type", "application/json")]
        let event = Support.decode(Self.payload, headers: headers)
        #expect(event.eventID == "ce-4")
        #expect(event.bodyText == Self.body(eventID: "ce-4"))
    }

    @Test(arguments: [
        (#"{"specversion":"0.3","id":"x","data":{}}"#, "specversion", "INVALID_EVENT"),
        (#"{"specversion":"1.0","id":"x"}"#, "data", "INVALID_EVENT"),
        (#"{"specversion":"1.0","id":"x","data":[1]}"#, "data", "INVALID_EVENT"),
        (#"{"specversion":"1.0","id":"x","data":"not json"}"#, "data", "INVALID_JSON"),
        (#"{"specversion":"1.0","id":"x","data":"[1]"}"#, "data", "INVALID_EVENT"),
        (#"{"specversion":"1.0","id":"x","data_base64":"%%%"}"#, "data_base64", "INVALID_EVENT"),
        (#"{"specversion":"1.0","id":"x","data_base64":"bm90IGpzb24="}"#, "data_base64", "INVALID_JSON"),
        (#"{"specversion":"1.0","id":"x","data":{},"data_base64":"e30="}"#, "data_base64", "INVALID_EVENT"),
    ])
    func brokenEnvelopesAreRejectedNamingTheMember(json: String, field: String, code: String) throws {
        let event = Support.decode(json)
        let rejection = try #require(event.rejection)
        #expect(rejection.code == code)
        #expect(rejection.field == field)
        #expect(event.eventID == "x")
    }

    // MARK: Event id

    @Test func payloadEventIDWinsOverCloudEventsIDAndHeader() {
        let payload = #"{"eventId":"  own-1 ","conversationId":"c","customerId":"k"}"#
        let event = Support.decode(#"{"specversion":"1.0","id":"ce-9","data":\#(payload)}"#, headers: [("event-id", "hdr-1")])
        #expect(event.eventID == "own-1")
        #expect(event.bodyText == #"{"externalConversationId":"c","externalCustomerId":"k","eventId":"own-1"}"#)
    }

    @Test func cloudEventsIDWinsOverTheEventIDHeader() {
        let event = Support.decode(#"{"specversion":"1.0","id":"ce-9","data":{"conversationId":"c","customerId":"k"}}"#, headers: [("event-id", "hdr-1")])
        #expect(event.eventID == "ce-9")
    }

    @Test func eventIDHeaderWinsOverTheDerivedID() {
        let event = Support.decode(#"{"conversationId":"c","customerId":"k","eventId":null}"#, headers: [("event-id", "hdr-1")])
        #expect(event.eventID == "hdr-1")
        #expect(event.bodyText?.contains(#""eventId":"hdr-1""#) == true)
    }

    @Test func derivedIDIsKabAndTheFirst32HexOfSHA256OfTopicPartitionOffset() {
        let record = Support.record(#"{"conversationId":"c","customerId":"k"}"#, topic: "entity-events", partition: 3, offset: 7)
        let event = EventDecoder(settings: EventDecoderSettings()).decode(record, kind: .customerMetadata)
        #expect(event.eventID == "kab-6437eea03ee1da74dc2a1554f70e2ad2")  // printf 'entity-events/3/7' | sha256sum
        #expect(Support.decode(#"{"conversationId":"c","customerId":"k","eventId":""}"#).eventID == Self.derivedID)
        #expect(EventID.derived(topic: "customer-events", partition: 0, offset: 42) == Self.derivedID)
    }

    /// Expected hashes from `printf '%s' ID | sha256sum | cut -c1-32`, computed outside the code under test.
    @Test(arguments: [
        ("not a valid id!", "kab-373cafc1413c68bd9f92ae70d445b393"),
        ("bad id", "kab-4b2d2ff66c98b2a1e6f08bdcdf4a04a7"),
        ("ü", "kab-607474ca475a9724d7360aba71a56d5d"),
        (String(repeating: "a", count: 257), "kab-e8d95cc2b4bc198c54b40bd214df958a"),
    ])
    func cloudEventsIDAndHeaderBreakingThePatternAreHashed(id: String, expected: String) {
        var writer = JSONWriter()
        writer.string(id)
        let structured = Support.decode(#"{"specversion":"1.0","id":\#(writer.text),"data":{"conversationId":"c","customerId":"k"}}"#)
        #expect(structured.eventID == expected)
        let binary = Support.decode(#"{"conversationId":"c","customerId":"k"}"#, headers: [("ce_id", id)])
        #expect(binary.eventID == expected)
        let header = Support.decode(#"{"conversationId":"c","customerId":"k"}"#, headers: [("event-id", id)])
        #expect(header.eventID == expected)
        #expect(header.bodyText?.contains(#""eventId":"\#(expected)""#) == true)
    }

    @Test func knownHashOfABadID() {
        #expect(EventID.hashed("not a valid id!") == "kab-373cafc1413c68bd9f92ae70d445b393")  // printf 'not a valid id!' | sha256sum
        #expect(EventID.normalized(String(repeating: "a", count: 256)) == String(repeating: "a", count: 256))
    }

    @Test(arguments: [#""bad id""#, #""a/b""#, "true", "42", "{}", "[]", "\"\(String(repeating: "a", count: 257))\""])
    func payloadEventIDThatIsNotAValidStringIsRejected(eventID: String) throws {
        let event = Support.decode(#"{"eventId":\#(eventID),"conversationId":"c","customerId":"k"}"#, headers: [("event-id", "hdr-2")])
        let rejection = try #require(event.rejection)
        #expect(rejection.code == "INVALID_EVENT")
        #expect(rejection.field == "eventId")
        #expect(event.eventID == "hdr-2")
    }

    @Test func entityEventsMayNameThemselves() {
        let json = #"{"eventId":"ent-1","customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","entity":{"type":"plan","id":"a5ad9f06-0164-4475-8919-fcf1d4a4befe"},"params":{"b8ad9f06-0104-9475-7919-ace1d4a4babe":"1"}}"#
        let event = Support.decode(json, kind: .externalParams)
        #expect(event.eventID == "ent-1")
        #expect(event.request != nil)
        #expect(event.bodyText?.contains("ent-1") == false)
    }

    // MARK: Correlation and trace context

    @Test func correlationComesFromTheHeaderThenXCorrelationIDThenTheEventID() {
        let json = #"{"conversationId":"c","customerId":"k","eventId":"e-1"}"#
        #expect(Support.decode(json, headers: [("x-correlation-id", "x-1"), ("correlation-id", "c-1")]).correlationID == "c-1")
        #expect(Support.decode(json, headers: [("x-correlation-id", "x-1")]).correlationID == "x-1")
        #expect(Support.decode(json).correlationID == "e-1")
        #expect(Support.decode("not json").correlationID == Self.derivedID)
        // A value that cannot be an HTTP header value is not forwarded.
        #expect(Support.decode(json, headers: [("correlation-id", "a\r\nInjected: 1"), ("x-correlation-id", "x-2")]).correlationID == "x-2")
        #expect(Support.decode(json, headers: [("correlation-id", "   ")]).correlationID == "e-1")
    }

    @Test func traceparentIsForwardedWhenWellFormed() {
        let json = #"{"conversationId":"c","customerId":"k"}"#
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        #expect(Support.decode(json, headers: [("traceparent", valid)]).traceparent == valid)
        #expect(Support.decode(json).traceparent == nil)
        for broken in ["garbage", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                       "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                       valid + "-extra"] {
            #expect(Support.decode(json, headers: [("traceparent", broken)]).traceparent == nil)
        }
    }

    // MARK: Records that never reach validation

    @Test func recordsOverTheSizeLimitAreRejectedUnparsed() throws {
        let settings = EventDecoderSettings(maxEventBytes: 64)
        let event = #"{"conversationId":"c","customerId":"k"}"#
        let fits = event + String(repeating: " ", count: 64 - event.utf8.count)
        #expect(fits.utf8.count == 64)
        #expect(Support.decode(fits, settings: settings).request != nil)
        let tooLarge = Support.decode(fits + " ", settings: settings)
        #expect(tooLarge.rejection?.code == "EVENT_TOO_LARGE")
        // Not even JSON, yet the size is what it is rejected for: nothing was parsed.
        let notJSON = Support.decode(String(repeating: "x", count: 65), settings: settings)
        #expect(notJSON.rejection?.code == "EVENT_TOO_LARGE")
        #expect(notJSON.eventID == Self.derivedID)
    }

    @Test(arguments: ["not json", "", "{\"conversationId\":", "{\"a\":1,\"a\":1}", "\u{FEFF}"])
    func textThatIsNotJSONIsRejected(text: String) throws {
        let event = Support.decode(text, headers: [("event-id", "hdr-3")])
        #expect(event.rejection?.code == "INVALID_JSON")
        #expect(event.eventID == "hdr-3")
    }

    @Test func duplicateMembersAreInvalidJSON() throws {
        let event = Support.decode(#"{"conversationId":"c","customerId":"k","customerId":"other"}"#)
        let rejection = try #require(event.rejection)
        #expect(rejection.code == "INVALID_JSON")
        #expect(rejection.message.contains("duplicate member name \"customerId\""))
    }

    @Test func aTombstoneIsRejectedNeverACrash() throws {
        for kind in EventKind.allCases {
            let event = Support.decode(nil, kind: kind, headers: [("correlation-id", "c-9")])
            let rejection = try #require(event.rejection)
            #expect(rejection.code == "INVALID_EVENT")
            #expect(rejection.message.contains("tombstone"))
            #expect(event.correlationID == "c-9")
        }
    }

    @Test(arguments: ["[]", "\"text\"", "42", "null"])
    func jsonThatIsNotAnObjectIsAnInvalidEvent(json: String) {
        #expect(Support.decode(json).rejection?.code == "INVALID_EVENT")
    }

    @Test func everyRejectionNamesFieldAndRuleInItsMessage() throws {
        let rejection = try #require(Support.decode(#"{"conversationId":"c","customerId":"k","address":{"zipcode":"12345678901234567"}}"#).rejection)
        #expect(rejection.code == "INVALID_EVENT")
        #expect(rejection.field == "address.zipcode")
        #expect(rejection.rule == "maxLength 16")
        #expect(rejection.message.contains("address.zipcode"))
        #expect(rejection.message.contains("maxLength 16"))
    }

    @Test func sampleEventsMixValidAndInvalidOfBothKinds() {
        let decoder = EventDecoder(settings: EventDecoderSettings())
        let samples = SampleEvents.mixed(count: SampleEvents.cycleLength * 2)
        var accepted: [EventKind: Int] = [:]
        var rejected: [EventKind: Int] = [:]
        for (offset, sample) in samples.enumerated() {
            let record = EventRecord(topic: "t", partition: 0, offset: Int64(offset), key: nil, value: sample.value, headers: [])
            let event = decoder.decode(record, kind: sample.kind)
            if event.request != nil { accepted[sample.kind, default: 0] += 1 } else { rejected[sample.kind, default: 0] += 1 }
        }
        #expect(accepted.values.reduce(0, +) == SampleEvents.validPerCycle * 2)
        for kind in EventKind.allCases {
            #expect(accepted[kind, default: 0] > 0)
            #expect(rejected[kind, default: 0] > 0)
        }
    }
}

/// Damaged records of every sample kind: each is decoded to a request or a rejection, never a trap.
@Suite struct DecodingRobustnessTests {
    // Random damage comes from the fixed-seed `SeededGenerator` of TestSupport,
    // so a failure can be reproduced.

    @Test func mutatedAndTruncatedSamplesNeverTrap() {
        var random = SeededGenerator(seed: 42)
        let decoder = EventDecoder(settings: EventDecoderSettings(maxEventBytes: 4096))
        let interesting: [UInt8] = Array(#"{}[]",:\ 0-9eE.+tfn"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xFF]
        var outcomes = (accepted: 0, rejected: 0)
        for sample in SampleEvents.mixed(count: 24) {
            for _ in 0..<250 {
                var bytes = sample.value
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                case 1:
                    for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                        bytes[Int.random(in: 0..<bytes.count, using: &random)] = interesting.randomElement(using: &random) ?? 0
                    }
                default:
                    if !bytes.isEmpty { bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random)) }
                }
                let record = EventRecord(topic: "t", partition: 0, offset: 1, key: nil, value: bytes, headers: [])
                let event = decoder.decode(record, kind: sample.kind)
                #expect(EventID.fitsAPIPattern(event.eventID))
                switch event.decision {
                case .request(let request):
                    outcomes.accepted += 1
                    // Whatever got through produced a body that is itself valid JSON.
                    #expect((try? JSONParser().parse(request.body)) != nil)
                case .rejected(let rejection):
                    outcomes.rejected += 1
                    #expect(["INVALID_JSON", "INVALID_EVENT"].contains(rejection.code))
                }
            }
        }
        #expect(outcomes.rejected > 0)
        #expect(outcomes.accepted > 0)
    }
}
