import Foundation
import Testing

@testable import APISimulator

/// The pieces without I/O: the JSON parser, the format rules, the bounded id set, the
/// fault's JSON form and the answer ids.
@Suite struct JSONParserTests {
    static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try Self.parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\"\\\/\n\u00e9\ud83d\ude00"}} "#)
        #expect(value.member("a") == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(value.member("b")?.member("c") == .string("d\"\\/\né😀"))
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"a\nb\"", "{} x", "{'a':1}", "\"\u{7F}\"".replacingOccurrences(of: "\u{7F}", with: "\t"),
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try Self.parse(text) }
    }

    @Test(arguments: [[0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22] + bytes + [0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0x5C, 0x6E] + bytes + [0x22]) }
    }

    @Test func acceptsRawMultiByteUTF8() throws {
        #expect(try Self.parse("\"é€😀\"") == .string("é€😀"))
        #expect(try Self.parse("\"\\né€😀\"") == .string("\né€😀"))
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try Self.parse(deep)
        #expect(throws: JSONParseError.self) { try Self.parse("[" + deep + "]") }
    }
}

@Suite struct FormatRuleTests {
    @Test(arguments: [
        ("a5ad9f06-0164-4475-8919-fcf1d4a4befe", true), ("A5AD9F06-0164-4475-8919-FCF1D4A4BEFE", true),
        ("a5ad9f06-0164-4475-8919-fcf1d4a4bef", false), ("a5ad9f06x0164-4475-8919-fcf1d4a4befe", false),
        ("a5ad9f06-0164-4475-8919-fcf1d4a4befg", false), ("", false),
    ])
    func uuid(_ value: String, _ valid: Bool) {
        #expect(FormatRules.isUUID(value) == valid)
    }

    @Test func emailLocalPartOf64IsTheLimit() {
        #expect(FormatRules.isEmailAddress(String(repeating: "a", count: 64) + "@example.com"))
        #expect(!FormatRules.isEmailAddress(String(repeating: "a", count: 65) + "@example.com"))
    }

    @Test func characterClassesAreFullMatches() {
        #expect(CharacterClass.identifier.fullyMatches("abc-DEF_123"))
        #expect(!CharacterClass.identifier.fullyMatches("abc def"))
        #expect(!CharacterClass.identifier.fullyMatches(""))
        #expect(CharacterClass.customerIdentifier.fullyMatches("a.b@c"))
        #expect(CharacterClass.phoneNumber.fullyMatches("(555)555-0100"))
        #expect(!CharacterClass.phoneNumber.fullyMatches("555_0100"))
    }
}

@Suite struct StateTests {
    @Test func boundedIDSetForgetsTheOldest() {
        var ids = BoundedIDSet(capacity: 3)
        for id in ["a", "b", "c", "d"] {
            let inserted = ids.insert(id)
            #expect(inserted)
        }
        #expect(!ids.contains("a"))
        #expect(ids.contains("b") && ids.contains("d"))
        let insertedAgain = ids.insert("d")
        #expect(!insertedAgain)
        for id in (0..<20).map(String.init) {
            _ = ids.insert(id)
        }
        #expect(ids.count == 3)
        #expect(ids.contains("19") && !ids.contains("16"))
    }

    @Test func ringLogKeepsTheLatestInOrder() {
        var log = RingLog<Int>(capacity: 3)
        (1...5).forEach { log.append($0) }
        #expect(log.elements == [3, 4, 5])
    }

    @Test func faultJSONRoundTrips() throws {
        let faults: [SimulatorFault] = [
            .failNext(2, status: 503, code: "GLOBAL_1001", retryAfter: 4, api: .externalParams, matching: "x"),
            .failFor(.milliseconds(1500), status: 500),
            .throttleNext(1, retryAfter: 2),
            .dropNext(3, api: .customerMetadata),
        ]
        let decoded = try JSONDecoder().decode([SimulatorFault].self, from: JSONEncoder().encode(faults))
        #expect(decoded == faults)
    }

    @Test func answerIdsAreDistinctUUIDs() {
        let generator = AnswerIDGenerator()
        let ids = (0..<1000).map { _ in generator.next() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil })
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let text = "\(SimulatorCredentials(apiId: "id", apiSecret: "very-secret", token: "tok-secret"))"
        #expect(!text.contains("very-secret") && !text.contains("tok-secret"))
    }
}
