import Foundation
import NIOHTTP1
import Testing

@testable import APISimulator

/// API 1 over real HTTP: the document's example, every rule on both sides of its boundary,
/// authentication and duplicate event ids.
@Suite struct CustomerMetadataAPITests {
    @Test func documentExampleIsAcceptedWithTheDocumentedShape() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.postCustomerMetadata(SimulatorHarness.json(SimulatorHarness.customerMetadataExample))
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "content-type") == "application/json")
            #expect(SimulatorHarness.isUUID(reply.result["eventId"]))
            #expect(reply.result["error"] as? String == "")
            let accepted = harness.simulator.accepted(.customerMetadata)
            #expect(accepted.count == 1)
            #expect(accepted.first?.eventId == "eventId-1938")
            #expect(accepted.first?.answerId == reply.result["eventId"] as? String)
        }
    }

    /// One member of the example replaced by raw JSON text, or removed (`nil`).
    struct Case: CustomTestStringConvertible, Sendable {
        let field: String
        let json: String?
        let accepted: Bool
        let note: String

        var testDescription: String { "\(field) \(note) → \(accepted ? "200" : "400")" }

        static func ok(_ field: String, _ json: String?, _ note: String) -> Case {
            Case(field: field, json: json, accepted: true, note: note)
        }

        static func bad(_ field: String, _ json: String?, _ note: String) -> Case {
            Case(field: field, json: json, accepted: false, note: note)
        }

        /// The example body with this case's change.
        var body: String {
            var example = SimulatorHarness.customerMetadataExample
            example[field] = nil
            let rest = SimulatorHarness.json(example)
            guard let json else { return rest }
            return "{" + SimulatorHarness.quoted(field) + ":" + json + "," + rest.dropFirst()
        }
    }

    static func text(_ count: Int, _ character: String = "a") -> String {
        SimulatorHarness.quoted(String(repeating: character, count: count))
    }

    static func q(_ text: String) -> String {
        SimulatorHarness.quoted(text)
    }

    static func attributes(_ count: Int) -> String {
        "[" + (0..<count).map { #"{"name":"n\#($0)","value":"v\#($0)"}"# }.joined(separator: ",") + "]"
    }

    static func attribute(name: String, value: String) -> String {
        "[{\"name\":" + name + ",\"value\":" + value + "}]"
    }

    static let cases: [Case] = [
        .ok("externalConversationId", text(256), "256 characters"),
        .bad("externalConversationId", text(257), "257 characters"),
        .bad("externalConversationId", nil, "missing"),
        .bad("externalConversationId", "null", "null"),
        .bad("externalConversationId", q(""), "empty"),
        .bad("externalConversationId", q("id 509"), "with a space"),
        .bad("externalConversationId", q("id.509"), "with a dot"),
        .bad("externalConversationId", q("ïd-509"), "non-ASCII"),
        .bad("externalConversationId", "509", "a number"),
        .ok("externalConversationId", q("A-z_09"), "every allowed class"),
        .ok("externalCustomerId", text(256), "256 characters"),
        .bad("externalCustomerId", text(257), "257 characters"),
        .bad("externalCustomerId", nil, "missing"),
        .bad("externalCustomerId", q("a b@example.com"), "with a space"),
        .bad("externalCustomerId", q("a+b@example.com"), "with a plus"),
        .ok("eventId", nil, "missing"),
        .ok("eventId", "null", "null"),
        .ok("eventId", text(256), "256 characters"),
        .bad("eventId", text(257), "257 characters"),
        .bad("eventId", q(""), "empty"),
        .bad("eventId", q("event.1"), "with a dot"),
        .bad("eventId", "1938", "a number"),
        .ok("status", text(256), "256 characters"),
        .bad("status", text(257), "257 characters"),
        .bad("status", q("new customer"), "with a space"),
        .ok("phoneNumber", q("+1.555.555-0100"), "plus and dots"),
        .ok("phoneNumber", text(32, "5"), "32 characters"),
        .bad("phoneNumber", text(33, "5"), "33 characters"),
        .bad("phoneNumber", q("555 0100"), "with a space"),
        .bad("phoneNumber", q("555-CALL"), "with letters"),
        .ok("phoneNumber", "null", "null"),
        .ok("emailAddress", q("first.last+tag@mail.example.co.uk"), "dotted with a tag"),
        .ok("emailAddress", "null", "null"),
        .bad("emailAddress", q("jdoe"), "without @"),
        .bad("emailAddress", q("jdoe@"), "without a domain"),
        .bad("emailAddress", q("@example.com"), "without a local part"),
        .bad("emailAddress", q("j doe@example.com"), "with a space"),
        .bad("emailAddress", q("j..doe@example.com"), "with two dots in a row"),
        .bad("emailAddress", q("jdoe@-example.com"), "with a label starting with -"),
        .ok("userId", text(256), "256 characters"),
        .bad("userId", text(257), "257 characters"),
        .ok("addressCountry", text(128), "128 characters"),
        .bad("addressCountry", text(129), "129 characters"),
        .bad("addressCountry", q("United States"), "with a space"),
        .ok("addressState", text(128), "128 characters"),
        .bad("addressState", text(129), "129 characters"),
        .ok("addressZipcode", text(16, "1"), "16 characters"),
        .bad("addressZipcode", text(17, "1"), "17 characters"),
        .bad("addressZipcode", q("100 01"), "with a space"),
        .ok("attributes", attributes(10), "10 items"),
        .bad("attributes", attributes(11), "11 items"),
        .ok("attributes", "[]", "no items"),
        .ok("attributes", "null", "null"),
        .bad("attributes", q("attr1_name=attr1_value"), "a string"),
        .bad("attributes", "[" + q("attr1_name") + "]", "an item that is not an object"),
        .ok("attributes", attribute(name: text(256), value: text(1024)), "name 256, value 1024"),
        .bad("attributes", attribute(name: text(257), value: q("v")), "name 257"),
        .bad("attributes", attribute(name: q("n"), value: text(1025)), "value 1025"),
        .ok("attributes", attribute(name: q("n"), value: text(1024, "é")), "value of 1024 non-ASCII characters"),
        .bad("attributes", attribute(name: q("n"), value: "7"), "a number value"),
    ]

    @Test(arguments: cases)
    func validationRule(_ testCase: Case) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.postCustomerMetadata(testCase.body)
            #expect(SimulatorHarness.isUUID(reply.result["eventId"]))
            let error = reply.result["error"] as? String ?? "<absent>"
            if testCase.accepted {
                #expect(reply.status == 200, "\(error)")
                #expect(error == "")
                #expect(harness.simulator.accepted(.customerMetadata).count == 1)
            } else {
                #expect(reply.status == 400)
                #expect(error.hasPrefix("FAIL_BAD_PARAMS: ERROR: "))
                #expect(error.contains(testCase.field), "\(error)")
                #expect(harness.simulator.accepted(.customerMetadata).isEmpty)
            }
        }
    }

    @Test(arguments: ["", "{", "[]", "\"text\"", "{\"externalConversationId\":\"a\",}", "{} {}"])
    func bodyThatIsNotAJSONObjectIsABadRequest(_ body: String) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.postCustomerMetadata(body)
            #expect(reply.status == 400)
            #expect((reply.result["error"] as? String)?.hasPrefix("FAIL_BAD_PARAMS: ERROR: ") == true)
        }
    }

    @Test func unknownMembersAreIgnored() async throws {
        var body = SimulatorHarness.customerMetadataExample
        body["somethingElse"] = ["nested": true]
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            #expect(try await harness.postCustomerMetadata(SimulatorHarness.json(body)).status == 200)
        }
    }

    static let badCredentials: [[(String, String)]] = [
        [],
        [("asapp-api-id", "sim-api-id")],
        [("asapp-api-secret", "sim-api-secret")],
        [("asapp-api-id", "sim-api-id"), ("asapp-api-secret", "wrong")],
        [("asapp-api-id", "other"), ("asapp-api-secret", "sim-api-secret")],
        [("authorization", "Bearer sim-bearer-token")],
        [("asapp-api-id", "sim-api-id"), ("asapp-api-secret", "sim-api-secret"), ("asapp-api-secret", "sim-api-secret")],
    ]

    @Test(arguments: 0..<badCredentials.count)
    func missingOrWrongCredentialsAre401(_ index: Int) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.send(
                path: SimulatorHarness.customerMetadataPath,
                body: SimulatorHarness.json(SimulatorHarness.customerMetadataExample),
                headers: Self.badCredentials[index]
            )
            #expect(reply.status == 401)
            #expect(reply.errorObject["code"] as? String == "401-01")
            #expect(reply.errorObject["message"] as? String == "Unauthorized")
            #expect(SimulatorHarness.isUUID(reply.errorObject["requestId"]))
            #expect(harness.simulator.stats().count(.customerMetadata, status: 401) == 1)
        }
    }

    @Test func repeatedEventIdIsAConflict() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let body = SimulatorHarness.json(SimulatorHarness.customerMetadataExample)
            #expect(try await harness.postCustomerMetadata(body).status == 200)
            let second = try await harness.postCustomerMetadata(body)
            #expect(second.status == 409)
            #expect(second.errorObject["code"] as? String == "409-01")
            #expect(second.errorObject["message"] as? String == "Conflict")
            #expect(harness.simulator.accepted(.customerMetadata).count == 1)
            #expect(harness.simulator.stats().count(.customerMetadata, status: 409) == 1)
        }
    }

    @Test func requestsWithoutEventIdAreNeverConflicts() async throws {
        var body = SimulatorHarness.customerMetadataExample
        body["eventId"] = nil
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let first = try await harness.postCustomerMetadata(SimulatorHarness.json(body))
            let second = try await harness.postCustomerMetadata(SimulatorHarness.json(body))
            #expect(first.status == 200)
            #expect(second.status == 200)
            #expect(first.result["eventId"] as? String != second.result["eventId"] as? String)
        }
    }

    @Test func unknownPathAndWrongMethodAreRefused() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let missing = try await harness.send(path: "/metadata-ingestion/v1/other", body: "{}", headers: SimulatorHarness.apiOneAuth)
            #expect(missing.status == 404)
            #expect(missing.errorObject["code"] as? String == "404-01")
            let get = try await harness.send(.GET, path: SimulatorHarness.customerMetadataPath, headers: SimulatorHarness.apiOneAuth)
            #expect(get.status == 405)
        }
    }

    @Test func bodyOverOneMebibyteIs413() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.postCustomerMetadata(String(repeating: " ", count: (1 << 20) + 1))
            #expect(reply.status == 413)
            #expect(reply.errorObject["code"] as? String == "413-01")
        }
    }
}
