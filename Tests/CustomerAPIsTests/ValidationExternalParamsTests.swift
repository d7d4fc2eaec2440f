import Testing
@testable import CustomerAPIs

/// API 2's rules, one table row per value, on both sides of every boundary.
@Suite struct ValidationExternalParamsTests {
    static let customer = "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10"
    static let entity = "a5ad9f06-0164-4475-8919-fcf1d4a4befe"
    static let config = "b8ad9f06-0104-9475-7919-ace1d4a4babe"
    static let base: [(String, String)] = [
        ("customerId", "\"\(customer)\""),
        ("entity", #"{"type":"subscriber","id":"\#(entity)"}"#),
        ("params", #"[{"configId":"\#(config)","value":"9876543212"}]"#),
    ]
    typealias Case = ValidationCase

    static func entityJSON(type: String = #""subscriber""#, id: String = "\"\(entity)\"") -> String {
        #"{"type":\#(type),"id":\#(id)}"#
    }

    /// UUID edge cases, for every field that must hold one.
    static func uuidCases(_ member: String, field: String, wrap: @escaping @Sendable (String) -> String, sends: @escaping @Sendable (String) -> String) -> [Case] {
        let accepted = [
            "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10", "0B9A7C1E-4A6E-4F0E-9D4C-2F1D7E3B5A10", "0b9A7c1E-4a6e-4F0e-9d4C-2f1d7E3b5a10",
            "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "b8ad9f06-0104-9475-7919-ace1d4a4babe",
        ]
        let rejected = [
            "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a1", "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a100", "0b9a7c1e4a6e4f0e9d4c2f1d7e3b5a10",
            "0b9a7c1e-4a6e-4f0e-9d4c2-f1d7e3b5a10", "0b9a7c1g-4a6e-4f0e-9d4c-2f1d7e3b5a10", "{0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10}",
            "0b9a7c1e_4a6e_4f0e_9d4c_2f1d7e3b5a10", "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a1é", "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a1/",
            "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a:0",
        ]
        return accepted.map { Case(member, wrap("\"\($0)\""), .sends(sends($0))) }
            + rejected.map { Case(member, wrap("\"\($0)\""), .rejects(field: field, rule: "uuid")) }
    }

    static let customerCases: [Case] = uuidCases("customerId", field: "customerId", wrap: { $0 }, sends: { _ in "externalParams" }) + [
        Case("customerId", #""  \#(customer)  ""#, .sends("externalParams")),
        Case("customerId", nil, .rejects(field: "customerId", rule: "required")),
        Case("customerId", "null", .rejects(field: "customerId", rule: "required")),
        Case("customerId", #""""#, .rejects(field: "customerId", rule: "required")),
        Case("customerId", "42", .rejects(field: "customerId", rule: "uuid")),
        Case("customerId", "{}", .rejects(field: "customerId", rule: "type string")),
    ]

    static let entityCases: [Case] = [
        Case("entity", entityJSON(type: #""customer""#), .sends("externalParams")),
        Case("entity", entityJSON(type: #""subscriber""#), .sends("externalParams")),
        Case("entity", entityJSON(type: #""plan""#), .sends("externalParams")),
        Case("entity", entityJSON(type: #""package""#), .sends("externalParams")),
        Case("entity", entityJSON(type: #""product""#), .sends("externalParams")),
        Case("entity", entityJSON(type: #"" Product ""#), .sends("externalParams")),
        Case("entity", entityJSON(type: #""offer""#), .rejects(field: "entity.type", rule: "enum customer|subscriber|plan|package|product")),
        Case("entity", entityJSON(type: #""plans""#), .rejects(field: "entity.type", rule: "enum customer|subscriber|plan|package|product")),
        Case("entity", entityJSON(type: #""pla""#), .rejects(field: "entity.type", rule: "enum customer|subscriber|plan|package|product")),
        Case("entity", entityJSON(type: #""../plan""#), .rejects(field: "entity.type", rule: "enum customer|subscriber|plan|package|product")),
        Case("entity", entityJSON(type: #""""#), .rejects(field: "entity.type", rule: "required")),
        Case("entity", entityJSON(type: "null"), .rejects(field: "entity.type", rule: "required")),
        Case("entity", entityJSON(type: "true"), .rejects(field: "entity.type", rule: "type string")),
        Case("entity", entityJSON(id: "null"), .rejects(field: "entity.id", rule: "required")),
        Case("entity", #"{"type":"plan"}"#, .rejects(field: "entity.id", rule: "required")),
        Case("entity", nil, .rejects(field: "entity", rule: "required")),
        Case("entity", "null", .rejects(field: "entity", rule: "required")),
        Case("entity", #""plan""#, .rejects(field: "entity", rule: "type object")),
    ] + uuidCases("entity", field: "entity.id", wrap: { entityJSON(id: $0) }, sends: { _ in "externalParams" })

    static let paramsCases: [Case] = [
        Case("params", #"[{"configId":"\#(config)","value":"v"}]"#, .sends(#"{"externalParams":[{"extParamConfigId":"\#(config)","value":"v"}]}"#)),
        Case("params", #"{"\#(config)":"v"}"#, .sends(#"{"externalParams":[{"extParamConfigId":"\#(config)","value":"v"}]}"#)),
        Case("params", #"{"\#(config)":7,"c8ad9f06-0104-9475-7919-ace1d4a4babe":true}"#,
             .sends(#"[{"extParamConfigId":"\#(config)","value":"7"},{"extParamConfigId":"c8ad9f06-0104-9475-7919-ace1d4a4babe","value":"true"}]"#)),
        Case("params", #"[{"configId":"\#(config)","value":3.50},{"configId":"c8ad9f06-0104-9475-7919-ace1d4a4babe","value":false}]"#,
             .sends(#"[{"extParamConfigId":"\#(config)","value":"3.50"},{"extParamConfigId":"c8ad9f06-0104-9475-7919-ace1d4a4babe","value":"false"}]"#)),
        Case("params", #"[{"configId":" \#(config) ","value":"  v  "}]"#, .sends(#"{"extParamConfigId":"\#(config)","value":"v"}"#)),
        Case("params", "[]", .rejects(field: "params", rule: "minItems 1")),
        Case("params", "{}", .rejects(field: "params", rule: "minItems 1")),
        Case("params", nil, .rejects(field: "params", rule: "required")),
        Case("params", "null", .rejects(field: "params", rule: "required")),
        Case("params", #""x""#, .rejects(field: "params", rule: "type array or object")),
        Case("params", #"["x"]"#, .rejects(field: "params[0]", rule: "type object")),
        Case("params", #"[{"value":"v"}]"#, .rejects(field: "params[0].configId", rule: "required")),
        Case("params", #"[{"configId":"\#(config)"}]"#, .rejects(field: "params[0].value", rule: "required")),
        Case("params", #"[{"configId":"\#(config)","value":null}]"#, .rejects(field: "params[0].value", rule: "required")),
        Case("params", #"[{"configId":"\#(config)","value":""}]"#, .rejects(field: "params[0].value", rule: "required")),
        Case("params", #"[{"configId":"\#(config)","value":{"a":1}}]"#, .rejects(field: "params[0].value", rule: "type string, number or boolean")),
        Case("params", #"{"\#(config)":null}"#, .rejects(field: "params.\(config)", rule: "required")),
        Case("params", #"{"not-a-uuid":"v"}"#, .rejects(field: "params.not-a-uuid", rule: "uuid")),
        Case("params", #"[{"configId":"\#(config)","value":"1"},{"configId":"\#(config)","value":"2"}]"#, .rejects(field: "params[1].configId", rule: "unique configId")),
        Case("params", #"[{"configId":"\#(config)","value":"1"},{"configId":"\#(config.uppercased())","value":"2"}]"#, .rejects(field: "params[1].configId", rule: "unique configId")),
        Case("params", #"{"\#(config)":"1","\#(config.uppercased())":"2"}"#, .rejects(field: "params.\(config.uppercased())", rule: "unique configId")),
    ] + uuidCases("params", field: "params[0].configId", wrap: { #"[{"configId":\#($0),"value":"v"}]"# }, sends: { #""extParamConfigId":"\#($0)""# })

    static let allCases = customerCases + entityCases + paramsCases

    @Test(arguments: allCases)
    func entityEventRule(_ row: Case) {
        let event = DecodingTestSupport.decode(row.payload(base: Self.base), kind: .externalParams)
        #expect(row.mismatch(in: event) == nil)
    }

    @Test(arguments: [("customer", "customer"), ("subscriber", "subscriber"), ("plan", "plan"), ("package", "package"), ("product", "plan"), ("PRODUCT", "plan")])
    func pathNamesTheEntityType(type: String, segment: String) throws {
        let row = Case("entity", Self.entityJSON(type: "\"\(type)\""), .sends(""))
        let request = try #require(DecodingTestSupport.decode(row.payload(base: Self.base), kind: .externalParams).request)
        #expect(request.kind == .externalParams)
        #expect(request.method == "POST")
        #expect(request.path == "/api/v2/customer/\(Self.customer)/external-params/\(segment)/\(Self.entity)")
    }

    @Test func externalParamsCustomerIDIsTheFallbackAndTheEventsOwnWins() throws {
        let fallback = "11111111-2222-3333-4444-555555555555"
        let settings = EventDecoderSettings(externalParamsCustomerID: " \(fallback) ")
        let without = Case("customerId", nil, .sends("")).payload(base: Self.base)
        let request = try #require(DecodingTestSupport.decode(without, kind: .externalParams, settings: settings).request)
        #expect(request.path.hasPrefix("/api/v2/customer/\(fallback)/"))
        let withNull = Case("customerId", "null", .sends("")).payload(base: Self.base)
        #expect(DecodingTestSupport.decode(withNull, kind: .externalParams, settings: settings).request?.path.hasPrefix("/api/v2/customer/\(fallback)/") == true)

        let own = try #require(DecodingTestSupport.decode(Case("x", nil, .sends("")).payload(base: Self.base), kind: .externalParams, settings: settings).request)
        #expect(own.path.hasPrefix("/api/v2/customer/\(Self.customer)/"))

        let badOwn = Case("customerId", #""nope""#, .sends("")).payload(base: Self.base)
        #expect(DecodingTestSupport.decode(badOwn, kind: .externalParams, settings: settings).rejection?.rule == "uuid")

        let badFallback = EventDecoderSettings(externalParamsCustomerID: "not-a-uuid")
        let rejection = try #require(DecodingTestSupport.decode(without, kind: .externalParams, settings: badFallback).rejection)
        #expect(rejection.field == "customerId")
        #expect(rejection.message.contains("EXTERNAL_PARAMS_CUSTOMER_ID"))

        let blankFallback = EventDecoderSettings(externalParamsCustomerID: "  ")
        #expect(DecodingTestSupport.decode(without, kind: .externalParams, settings: blankFallback).rejection?.rule == "required")
    }

    @Test func pathSegmentsComeOnlyFromValidatedValues() {
        for hostile in ["../../admin", "a5ad9f06-0164-4475-8919-fcf1d4a4befe/../x", "a5ad9f06-0164-4475-8919-fcf1d4a4bef%", "a5ad9f06-0164-4475-8919-fcf1d4a4be?x"] {
            var writer = JSONWriter()
            writer.string(hostile)
            let row = Case("entity", Self.entityJSON(id: writer.text), .sends(""))
            #expect(DecodingTestSupport.decode(row.payload(base: Self.base), kind: .externalParams).rejection?.rule == "uuid")
        }
    }

    @Test func apiShapedParamsGetTheSameRules() throws {
        let shaped = Case("params", nil, .sends("")).payload(base: Self.base + [("externalParams", #"[{"extParamConfigId":"\#(Self.config)","value":5}]"#)])
        #expect(DecodingTestSupport.decode(shaped, kind: .externalParams).bodyText == #"{"externalParams":[{"extParamConfigId":"\#(Self.config)","value":"5"}]}"#)
        let broken = Case("params", nil, .sends("")).payload(base: Self.base + [("externalParams", #"[{"extParamConfigId":"x","value":5}]"#)])
        let rejection = try #require(DecodingTestSupport.decode(broken, kind: .externalParams).rejection)
        #expect(rejection.field == "externalParams[0].extParamConfigId")
        #expect(rejection.rule == "uuid")
    }
}
