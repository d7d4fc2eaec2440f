import Testing
@testable import CustomerAPIs

/// API 1's rules, one table row per value, on both sides of every boundary.
@Suite struct ValidationCustomerMetadataTests {
    static let base: [(String, String)] = [("conversationId", #""c1""#), ("customerId", #""cust1""#), ("eventId", #""e1""#)]
    static let idPattern = #"pattern [a-zA-Z0-9\-\_]+"#
    static let customerPattern = #"pattern [a-zA-Z0-9\-\_\.\@]+"#
    static let phonePattern = #"pattern [0-9\-\.\(\)\+]+"#
    typealias Case = ValidationCase
    static func s(_ count: Int, _ character: Character = "a") -> String { Case.string(count, character) }

    static let conversationIDCases: [Case] = [
        Case("conversationId", s(1), .sends(#""externalConversationId":"a""#)),
        Case("conversationId", s(256), .sends(#""externalConversationId":"\#(String(repeating: "a", count: 256))""#)),
        Case("conversationId", s(257), .rejects(field: "conversationId", rule: "maxLength 256")),
        Case("conversationId", #""  trimmed-id  ""#, .sends(#""externalConversationId":"trimmed-id""#)),
        Case("conversationId", #""aZ09-_""#, .sends(#""externalConversationId":"aZ09-_""#)),
        Case("conversationId", #""-""#, .sends(#""externalConversationId":"-""#)),
        Case("conversationId", #""_""#, .sends(#""externalConversationId":"_""#)),
        Case("conversationId", "12345", .sends(#""externalConversationId":"12345""#)),
        Case("conversationId", #""a b""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""a.b""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""a@b""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""é""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""a\nb""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""a/""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""`""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""[""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""{""#, .rejects(field: "conversationId", rule: idPattern)),
        Case("conversationId", #""""#, .rejects(field: "conversationId", rule: "required")),
        Case("conversationId", #""   ""#, .rejects(field: "conversationId", rule: "required")),
        Case("conversationId", "null", .rejects(field: "conversationId", rule: "required")),
        Case("conversationId", nil, .rejects(field: "conversationId", rule: "required")),
        Case("conversationId", "true", .rejects(field: "conversationId", rule: "type string")),
        Case("conversationId", "{}", .rejects(field: "conversationId", rule: "type string")),
    ]

    static let customerIDCases: [Case] = [
        Case("customerId", #""555.555.0100-jdoe@example.com""#, .sends(#""externalCustomerId":"555.555.0100-jdoe@example.com""#)),
        Case("customerId", #"".@-_""#, .sends(#""externalCustomerId":".@-_""#)),
        Case("customerId", s(256), .sends(#""externalCustomerId":"a"#)),
        Case("customerId", s(257), .rejects(field: "customerId", rule: "maxLength 256")),
        Case("customerId", #""a+b""#, .rejects(field: "customerId", rule: customerPattern)),
        Case("customerId", #""a b""#, .rejects(field: "customerId", rule: customerPattern)),
        Case("customerId", #""a#b""#, .rejects(field: "customerId", rule: customerPattern)),
        Case("customerId", #""""#, .rejects(field: "customerId", rule: "required")),
        Case("customerId", nil, .rejects(field: "customerId", rule: "required")),
        Case("customerId", "[]", .rejects(field: "customerId", rule: "type string")),
    ]

    static let optionalIdentifierCases: [Case] = ["status", "userId"].flatMap { field in [
        Case(field, #""new""#, .sends(#""\#(field)":"new""#)),
        Case(field, s(256, "Z"), .sends(#""\#(field)":"ZZZ"#)),
        Case(field, s(257, "Z"), .rejects(field: field, rule: "maxLength 256")),
        Case(field, #""a/b""#, .rejects(field: field, rule: idPattern)),
        Case(field, #""a.b""#, .rejects(field: field, rule: idPattern)),
        Case(field, #""""#, .omits(field)),
        Case(field, #"" ""#, .omits(field)),
        Case(field, "null", .omits(field)),
        Case(field, nil, .omits(field)),
        Case(field, "false", .rejects(field: field, rule: "type string")),
    ] }

    static let phoneCases: [Case] = [
        Case("phone", #""(555)555-0100""#, .sends(#""phoneNumber":"(555)555-0100""#)),
        Case("phone", #""+1.555.555""#, .sends(#""phoneNumber":"+1.555.555""#)),
        Case("phone", s(32, "9"), .sends(#""phoneNumber":"99999"#)),
        Case("phone", s(33, "9"), .rejects(field: "phone", rule: "maxLength 32")),
        Case("phone", #""555 0100""#, .rejects(field: "phone", rule: phonePattern)),
        Case("phone", #""555-0100x2""#, .rejects(field: "phone", rule: phonePattern)),
        Case("phone", #""555/0100""#, .rejects(field: "phone", rule: phonePattern)),
        Case("phone", #""*""#, .rejects(field: "phone", rule: phonePattern)),
        Case("phone", "5550100", .sends(#""phoneNumber":"5550100""#)),
        Case("phone", #""""#, .omits("phoneNumber")),
        Case("phone", "null", .omits("phoneNumber")),
    ]

    static let emailCases: [Case] = [
        Case("email", #""jdoe@example.com""#, .sends(#""emailAddress":"jdoe@example.com""#)),
        Case("email", #""first.last+tag@sub.example.org""#, .sends(#""emailAddress":"first.last+tag@sub.example.org""#)),
        Case("email", #""a@b-c.de""#, .sends(#""emailAddress":"a@b-c.de""#)),
        Case("email", #""x_y!#$%&'*/=?^`{|}~-@example.com""#, .sends(#""emailAddress":"x_y"#)),
        Case("email", "\"\(String(repeating: "a", count: 64))@example.com\"", .sends(#""emailAddress":"aaa"#)),
        Case("email", "\"\(String(repeating: "a", count: 65))@example.com\"", .rejects(field: "email", rule: "format email")),
        Case("email", "\"a@\(String(repeating: "b", count: 63)).com\"", .sends(#""emailAddress":"a@bbb"#)),
        Case("email", "\"a@\(String(repeating: "b", count: 64)).com\"", .rejects(field: "email", rule: "format email")),
        Case("email", "\"\(String(repeating: "a", count: 60))@\(String(repeating: "b.", count: 97))com\"", .rejects(field: "email", rule: "format email")),
        Case("email", #""plainaddress""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@localhost""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a..b@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #"".a@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a.@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@-example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@example-.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@example..com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@1.2.3.4""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a b@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@b@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""jö@example.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""a@exämple.com""#, .rejects(field: "email", rule: "format email")),
        Case("email", #""  jdoe@example.com ""#, .sends(#""emailAddress":"jdoe@example.com""#)),
        Case("email", #""""#, .omits("emailAddress")),
        Case("email", "null", .omits("emailAddress")),
        Case("email", "1", .rejects(field: "email", rule: "format email")),
    ]

    static let addressCases: [Case] = [
        Case("address", #"{"country":"United States","state":"New York","zipcode":"10001"}"#,
             .sends(#""addressCountry":"United-States","addressState":"New-York","addressZipcode":"10001""#)),
        Case("address", #"{"country":"  United \t\n States  "}"#, .sends(#""addressCountry":"United-States""#)),
        Case("address", #"{"state":"Rio  Grande do   Sul"}"#, .sends(#""addressState":"Rio-Grande-do-Sul""#)),
        Case("address", #"{"zipcode":10001}"#, .sends(#""addressZipcode":"10001""#)),
        Case("address", #"{"country":\#(s(128))}"#, .sends(#""addressCountry":"aaa"#)),
        Case("address", #"{"country":\#(s(129))}"#, .rejects(field: "address.country", rule: "maxLength 128")),
        Case("address", #"{"state":\#(s(128))}"#, .sends(#""addressState":"aaa"#)),
        Case("address", #"{"state":\#(s(129))}"#, .rejects(field: "address.state", rule: "maxLength 128")),
        Case("address", #"{"zipcode":\#(s(16, "1"))}"#, .sends(#""addressZipcode":"1111111111111111""#)),
        Case("address", #"{"zipcode":\#(s(17, "1"))}"#, .rejects(field: "address.zipcode", rule: "maxLength 16")),
        Case("address", #"{"zipcode":"SW1A 1AA"}"#, .sends(#""addressZipcode":"SW1A-1AA""#)),
        Case("address", #"{"country":"Zürich"}"#, .rejects(field: "address.country", rule: idPattern)),
        Case("address", #"{"state":"St. Louis"}"#, .rejects(field: "address.state", rule: idPattern)),
        Case("address", #"{"state":"Côte-d'Or"}"#, .rejects(field: "address.state", rule: idPattern)),
        Case("address", #"{"zipcode":"10001,"}"#, .rejects(field: "address.zipcode", rule: idPattern)),
        Case("address", #"{"country":"","state":null}"#, .omits("addressCountry")),
        Case("address", #"{"country":"","state":null}"#, .omits("addressState")),
        Case("address", "{}", .omits("addressZipcode")),
        Case("address", "null", .omits("addressCountry")),
        Case("address", #""United States""#, .rejects(field: "address", rule: "type object")),
        Case("address", #"{"country":["US"]}"#, .rejects(field: "address.country", rule: "type string")),
    ]

    static func attributesObject(_ count: Int) -> String {
        "{" + (0..<count).map { #""n\#($0)":"v""# }.joined(separator: ",") + "}"
    }

    static func attributesArray(_ count: Int) -> String {
        "[" + (0..<count).map { #"{"name":"n\#($0)","value":"v"}"# }.joined(separator: ",") + "]"
    }

    static let attributeCases: [Case] = [
        Case("attributes", attributesObject(10), .sends(#"{"name":"n9","value":"v"}]"#)),
        Case("attributes", attributesObject(11), .rejects(field: "attributes", rule: "maxItems 10")),
        Case("attributes", attributesArray(10), .sends(#"{"name":"n9","value":"v"}]"#)),
        Case("attributes", attributesArray(11), .rejects(field: "attributes", rule: "maxItems 10")),
        Case("attributes", #"{"b":"2","a":"1","C":"3"}"#,
             .sends(#""attributes":[{"name":"C","value":"3"},{"name":"a","value":"1"},{"name":"b","value":"2"}]"#)),
        Case("attributes", #"[{"name":"b","value":"2"},{"name":"a","value":"1"}]"#,
             .sends(#""attributes":[{"name":"b","value":"2"},{"name":"a","value":"1"}]"#)),
        Case("attributes", #"{"visits":7,"ratio":3.5,"big":12345678901234567890,"exp":1e3,"vip":true,"churn":false}"#,
             .sends(#""attributes":[{"name":"big","value":"12345678901234567890"},{"name":"churn","value":"false"},{"name":"exp","value":"1e3"},{"name":"ratio","value":"3.5"},{"name":"vip","value":"true"},{"name":"visits","value":"7"}]"#)),
        Case("attributes", #"[{"name":"n","value":-0.10}]"#, .sends(#"{"name":"n","value":"-0.10"}"#)),
        Case("attributes", #"{"n":"  padded  "}"#, .sends(#"{"name":"n","value":"padded"}"#)),
        Case("attributes", #"{"n":null,"m":"x"}"#, .sends(#""attributes":[{"name":"m","value":"x"}]"#)),
        Case("attributes", #"{"n":""}"#, .omits("attributes")),
        Case("attributes", "{}", .omits("attributes")),
        Case("attributes", "[]", .omits("attributes")),
        Case("attributes", "null", .omits("attributes")),
        Case("attributes", #"{\#(s(256)):"v"}"#, .sends(#"{"name":"aaa"#)),
        Case("attributes", #"{\#(s(257)):"v"}"#, .rejects(field: "attributes.\(String(repeating: "a", count: 64))", rule: "maxLength 256")),
        Case("attributes", #"[{"name":\#(s(257)),"value":"v"}]"#, .rejects(field: "attributes[0].name", rule: "maxLength 256")),
        Case("attributes", #"{"n":\#(s(1024))}"#, .sends(#"{"name":"n","value":"aaa"#)),
        Case("attributes", #"{"n":\#(s(1025))}"#, .rejects(field: "attributes.n", rule: "maxLength 1024")),
        Case("attributes", #"[{"name":"n","value":\#(s(1024, "é"))}]"#, .sends(#"{"name":"n","value":"ééé"#)),
        Case("attributes", #"[{"name":"n","value":\#(s(1025, "é"))}]"#, .rejects(field: "attributes[0].value", rule: "maxLength 1024")),
        Case("attributes", #"[{"name":"n","value":\#(s(1024, "😀"))}]"#, .sends(#"{"name":"n","value":"😀"#)),
        Case("attributes", #"[{"name":"n","value":\#(s(1025, "😀"))}]"#, .rejects(field: "attributes[0].value", rule: "maxLength 1024")),
        Case("attributes", #"{"n":{"x":1}}"#, .rejects(field: "attributes.n", rule: "type string, number or boolean")),
        Case("attributes", #"[{"name":"n","value":[1]}]"#, .rejects(field: "attributes[0].value", rule: "type string, number or boolean")),
        Case("attributes", #"["n"]"#, .rejects(field: "attributes[0]", rule: "type object")),
        Case("attributes", #"[{"value":"v"}]"#, .rejects(field: "attributes[0].name", rule: "required")),
        Case("attributes", #"[{"name":" ","value":"v"}]"#, .rejects(field: "attributes[0].name", rule: "required")),
        Case("attributes", #"[{"name":"n","value":"1"},{"name":"n","value":"2"}]"#, .rejects(field: "attributes[1].name", rule: "unique")),
        Case("attributes", #"{"n":"1"," n ":"2"}"#, .rejects(field: "attributes.n", rule: "unique")),
        Case("attributes", #""n=v""#, .rejects(field: "attributes", rule: "type object or array")),
    ]

    static let allCases = conversationIDCases + customerIDCases + optionalIdentifierCases + phoneCases
        + emailCases + addressCases + attributeCases

    @Test(arguments: allCases)
    func customerEventRule(_ row: Case) {
        let event = DecodingTestSupport.decode(row.payload(base: Self.base))
        #expect(row.mismatch(in: event) == nil)
    }

    @Test func apiShapedPayloadsGetTheSameRules() throws {
        let valid = #"{"externalConversationId":" id-509 ","externalCustomerId":"k","phoneNumber":"1","emailAddress":"","addressCountry":"United States","attributes":[{"name":"b","value":2},{"name":"a","value":"1"}],"unknown":"dropped"}"#
        let event = DecodingTestSupport.decode(valid, headers: [("event-id", "hdr-1")])
        #expect(event.bodyText == #"{"externalConversationId":"id-509","externalCustomerId":"k","eventId":"hdr-1","phoneNumber":"1","addressCountry":"United-States","attributes":[{"name":"b","value":"2"},{"name":"a","value":"1"}]}"#)

        let rows: [(String, String, String)] = [
            (#"{"externalConversationId":"c"}"#, "externalCustomerId", "required"),
            (#"{"externalConversationId":null,"externalCustomerId":"k"}"#, "externalConversationId", "required"),
            (#"{"externalConversationId":"c d","externalCustomerId":"k"}"#, "externalConversationId", Self.idPattern),
            (#"{"externalConversationId":"c","externalCustomerId":"k","phoneNumber":\#(Self.s(33, "1"))}"#, "phoneNumber", "maxLength 32"),
            (#"{"externalConversationId":"c","externalCustomerId":"k","emailAddress":"x"}"#, "emailAddress", "format email"),
            (#"{"externalConversationId":"c","externalCustomerId":"k","addressZipcode":\#(Self.s(17))}"#, "addressZipcode", "maxLength 16"),
            (#"{"externalConversationId":"c","externalCustomerId":"k","addressState":"N.Y."}"#, "addressState", Self.idPattern),
        ]
        for (json, field, rule) in rows {
            let rejection = try #require(DecodingTestSupport.decode(json).rejection)
            #expect(rejection.field == field)
            #expect(rejection.rule == rule)
        }
    }

    @Test func fieldsAreWrittenInTheDocumentsOrder() {
        let json = #"{"attributes":{"a":"1"},"address":{"zipcode":"1","state":"s","country":"c"},"userId":"u","email":"e@x.io","phone":"1","status":"s","eventId":"e","customerId":"k","conversationId":"c"}"#
        #expect(DecodingTestSupport.decode(json).bodyText == #"{"externalConversationId":"c","externalCustomerId":"k","eventId":"e","status":"s","phoneNumber":"1","emailAddress":"e@x.io","userId":"u","addressCountry":"c","addressState":"s","addressZipcode":"1","attributes":[{"name":"a","value":"1"}]}"#)
    }
}
