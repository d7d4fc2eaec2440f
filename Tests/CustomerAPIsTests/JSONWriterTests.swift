import Testing
@testable import CustomerAPIs

@Suite struct JSONWriterTests {
    @Test func writesNestedContainersWithCommasInPlace() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("status"); writer.string("rejected")
        writer.key("attempts"); writer.integer(0)
        writer.key("source")
        writer.beginObject()
        writer.key("topic"); writer.string("t")
        writer.key("offset"); writer.integer(Int64(42))
        writer.endObject()
        writer.key("list")
        writer.beginArray()
        writer.bool(true); writer.null(); writer.number("3.50")
        writer.beginArray(); writer.endArray()
        writer.beginObject(); writer.endObject()
        writer.endArray()
        writer.key("error"); writer.string(orNull: nil)
        writer.key("duplicate"); writer.bool(false)
        writer.endObject()
        #expect(writer.text == #"{"status":"rejected","attempts":0,"source":{"topic":"t","offset":42},"list":[true,null,3.50,[],{}],"error":null,"duplicate":false}"#)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote \" backslash \\", #""quote \" backslash \\""#),
        ("line\nreturn\rtab\t", #""line\nreturn\rtab\t""#),
        ("\u{0}\u{1F}\u{08}\u{0C}", #""\u0000\u001f\b\f""#),
        ("é😀/", "\"é😀/\""),
    ])
    func escapesStrings(value: String, expected: String) {
        var writer = JSONWriter()
        writer.string(value)
        #expect(writer.text == expected)
    }

    @Test func numberTextThatIsNotANumberBecomesAString() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.number("-1.5e+3")
        writer.number("1; DROP")
        writer.number("01")
        writer.endArray()
        #expect(writer.text == #"[-1.5e+3,"1; DROP","01"]"#)
    }

    @Test func roundTripsParsedValues() throws {
        let text = #"{"b":[1,-0.50,1E+3,true,false,null],"a":{"x":"y\n\u0001é"},"c":""}"#
        let value = try JSONParser().parse(text)
        var writer = JSONWriter()
        writer.value(value)
        #expect(try JSONParser().parse(writer.bytes) == value)
        #expect(writer.text == #"{"b":[1,-0.50,1E+3,true,false,null],"a":{"x":"y\n\u0001é"},"c":""}"#)
    }
}
