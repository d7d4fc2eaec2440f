import Testing
@testable import CustomerAPIs

@Suite struct JSONParserTests {
    let parser = JSONParser()

    @Test func parsesEveryKindOfValueKeepingOrderAndNumberText() throws {
        let value = try parser.parse(#" {"b": [1, -0.50, 1E+3, true, false, null], "a": {"x": "y"}, "c": ""} "#)
        #expect(value == .object([
            JSONMember(name: "b", value: .array([
                .number("1"), .number("-0.50"), .number("1E+3"), .bool(true), .bool(false), .null,
            ])),
            JSONMember(name: "a", value: .object([JSONMember(name: "x", value: .string("y"))])),
            JSONMember(name: "c", value: .string("")),
        ]))
    }

    @Test(arguments: [
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00 smile""#, "😀 smile"),
        ("\"caf\u{E9} 😀\"", "café 😀"),
        (#""\u0000""#, "\u{0}"),
    ])
    func unescapesStrings(json: String, expected: String) throws {
        #expect(try parser.parse(json) == .string(expected))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "+1", "-",
        "1e", "1e+", "nul", "tru", "NaN", "'a'", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\ud800\\u0041\"",
        "\"\\udc00\"", "{} x", "[] []", "\"a\u{1}b\"", "\"tab\there\"",
    ])
    func rejectsMalformedText(json: String) {
        #expect(throws: JSONParseError.self) { try parser.parse(json) }
    }

    @Test(arguments: [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xC0, 0xAF, 0x22]] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try parser.parse(bytes) }
    }

    @Test func rejectsDuplicateMemberNamesInSmallAndLargeObjects() {
        #expect(throws: JSONParseError.self) { try parser.parse(#"{"a":1,"b":2,"a":3}"#) }
        #expect(throws: JSONParseError.self) { try parser.parse(#"{"a":{"x":1,"x":1}}"#) }
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: Never.self) { try parser.parse("{\(many)}") }
        #expect(throws: JSONParseError.self) { try parser.parse("{\(many),\"k17\":0}") }
        // The same name spelled with an escape is the same name.
        #expect(throws: JSONParseError.self) { try parser.parse(#"{"ab":1,"a\u0062":2}"#) }
    }

    @Test func acceptsDepth64AndRejectsDepth65() throws {
        let deep64 = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let deep65 = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        _ = try parser.parse(deep64)
        #expect(throws: JSONParseError.self) { try parser.parse(deep65) }
        let objects65 = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: JSONParseError.self) { try parser.parse(objects65) }
        // Far too deep for a recursive parser without a limit: an error, never a crash.
        let huge = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try parser.parse(huge) }
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try parser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object([]))
    }

    @Test func errorsTellWhere() {
        #expect(throws: JSONParseError(reason: "unexpected character", offset: 5)) { try parser.parse(#"{"a":x}"#) }
    }
}
