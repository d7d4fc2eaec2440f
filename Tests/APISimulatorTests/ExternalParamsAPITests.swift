import Foundation
import Testing

@testable import APISimulator

/// API 2 over real HTTP: the document's example, the path and body rules, the NAK shape and
/// the bearer token.
@Suite struct ExternalParamsAPITests {
    static let configId = "b8ad9f06-0104-9475-7919-ace1d4a4babe"

    static func path(customer: String = SimulatorHarness.customerId, entity: String = "subscriber", id: String = SimulatorHarness.entityId) -> String {
        "/api/v2/customer/\(customer)/external-params/\(entity)/\(id)"
    }

    static func expectNak(_ reply: SimulatorHarness.Reply, code: String) {
        #expect(reply.json["errorCode"] as? String == code)
        #expect((reply.json["errorMessage"] as? String)?.isEmpty == false)
        #expect(reply.json["content"] as? String == "")
        #expect(reply.json["pageable"] as? String == "")
    }

    @Test func documentExampleIsAcceptedWithTheDocumentedAck() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let body = SimulatorHarness.json(SimulatorHarness.externalParamsExample)
            let reply = try await harness.postExternalParams(body, headers: [("correlation-id", "corr-1"), ("traceparent", "00-abc-def-01")])
            #expect(reply.status == 200)
            #expect(reply.json["errorCode"] as? String == "")
            #expect(reply.json["errorMessage"] as? String == "")
            let content = reply.json["content"] as? [[String: Any]] ?? []
            #expect(content.count == 1)
            #expect(SimulatorHarness.isUUID(content.first?["requestId"]))
            let pageable = reply.json["pageable"] as? [String: Int] ?? [:]
            #expect(pageable == ["page": 0, "size": 10, "totalPages": 1, "totalElements": 1])
            let accepted = harness.simulator.accepted(.externalParams)
            #expect(accepted.count == 1)
            #expect(accepted.first?.path == SimulatorHarness.externalParamsPath)
            #expect(accepted.first?.body == body)
            #expect(accepted.first?.correlationId == "corr-1")
            #expect(accepted.first?.traceparent == "00-abc-def-01")
            #expect(accepted.first?.headers["authorization"] == nil)
        }
    }

    struct PathCase: Sendable, CustomTestStringConvertible {
        let path: String
        let status: Int
        let note: String
        var testDescription: String { "\(note) → \(status)" }
    }

    static let pathCases: [PathCase] = [
        PathCase(path: path(entity: "customer"), status: 200, note: "entity customer"),
        PathCase(path: path(entity: "subscriber"), status: 200, note: "entity subscriber"),
        PathCase(path: path(entity: "plan"), status: 200, note: "entity plan"),
        PathCase(path: path(entity: "package"), status: 200, note: "entity package"),
        PathCase(path: path(entity: "product"), status: 400, note: "entity product (the document says: use plan)"),
        PathCase(path: path(entity: "Plan"), status: 400, note: "entity in capitals"),
        PathCase(path: path(customer: SimulatorHarness.customerId.uppercased()), status: 200, note: "upper-case customer UUID"),
        PathCase(path: path(customer: "customer-1"), status: 400, note: "customer id not a UUID"),
        PathCase(path: path(id: String(SimulatorHarness.entityId.dropLast())), status: 400, note: "entity id of 35 characters"),
        PathCase(path: path(id: "g" + SimulatorHarness.entityId.dropFirst()), status: 400, note: "entity id with a non-hex digit"),
        PathCase(path: path() + "/extra", status: 404, note: "an extra segment"),
        PathCase(path: "/api/v2/customer/\(SimulatorHarness.customerId)/external-params/plan", status: 404, note: "no entity id"),
    ]

    @Test(arguments: pathCases)
    func pathRule(_ testCase: PathCase) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.postExternalParams(SimulatorHarness.json(SimulatorHarness.externalParamsExample), path: testCase.path)
            #expect(reply.status == testCase.status)
            if testCase.status == 400 {
                Self.expectNak(reply, code: "CUSTOMER_1024")
            }
        }
    }

    struct BodyCase: Sendable, CustomTestStringConvertible {
        let body: String
        let accepted: Bool
        let note: String
        var testDescription: String { "\(note) → \(accepted ? 200 : 400)" }
    }

    static func item(_ id: String = #""b8ad9f06-0104-9475-7919-ace1d4a4babe""#, value: String = #""v""#) -> String {
        #"{"extParamConfigId":"# + id + #","value":"# + value + "}"
    }

    static let bodyCases: [BodyCase] = [
        BodyCase(body: #"{"externalParams":["# + item() + "]}", accepted: true, note: "one parameter"),
        BodyCase(body: #"{"externalParams":["# + item(value: #""""#) + "]}", accepted: true, note: "an empty value"),
        BodyCase(body: #"{"externalParams":["# + item(#""B8AD9F06-0104-9475-7919-ACE1D4A4BABE""#) + "]}", accepted: true, note: "upper-case config id"),
        BodyCase(body: "{}", accepted: false, note: "externalParams missing"),
        BodyCase(body: #"{"externalParams":[]}"#, accepted: false, note: "externalParams empty"),
        BodyCase(body: #"{"externalParams":{}}"#, accepted: false, note: "externalParams an object"),
        BodyCase(body: #"{"externalParams":["x"]}"#, accepted: false, note: "an item that is not an object"),
        BodyCase(body: #"{"externalParams":[{"value":"v"}]}"#, accepted: false, note: "config id missing"),
        BodyCase(body: #"{"externalParams":["# + item(#""not-a-uuid""#) + "]}", accepted: false, note: "config id not a UUID"),
        BodyCase(body: #"{"externalParams":["# + item("7") + "]}", accepted: false, note: "config id a number"),
        BodyCase(body: #"{"externalParams":[{"extParamConfigId":"b8ad9f06-0104-9475-7919-ace1d4a4babe"}]}"#, accepted: false, note: "value missing"),
        BodyCase(body: #"{"externalParams":["# + item(value: "7") + "]}", accepted: false, note: "value a number"),
        BodyCase(body: #"{"externalParams":["# + item(value: "null") + "]}", accepted: false, note: "value null"),
        BodyCase(body: "not json", accepted: false, note: "not JSON"),
        BodyCase(body: "[]", accepted: false, note: "an array body"),
    ]

    @Test(arguments: bodyCases)
    func bodyRule(_ testCase: BodyCase) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.postExternalParams(testCase.body)
            if testCase.accepted {
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.json["errorCode"] as? String == "")
            } else {
                #expect(reply.status == 400)
                Self.expectNak(reply, code: "CUSTOMER_1024")
                #expect(harness.simulator.accepted(.externalParams).isEmpty)
            }
        }
    }

    static let badAuthorizations: [String?] = [nil, "Bearer wrong", "Basic c2ltOnNpbQ==", "sim-bearer-token", "Bearer ", "Bearer sim-bearer-token2"]

    @Test(arguments: badAuthorizations)
    func missingOrWrongTokenIs401(_ authorization: String?) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.send(
                path: SimulatorHarness.externalParamsPath,
                body: SimulatorHarness.json(SimulatorHarness.externalParamsExample),
                headers: authorization.map { [("authorization", $0)] } ?? [("asapp-api-id", "sim-api-id"), ("asapp-api-secret", "sim-api-secret")]
            )
            #expect(reply.status == 401)
            Self.expectNak(reply, code: "UNAUTHORIZED")
        }
    }

    @Test func bearerSchemeIsCaseInsensitive() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.send(
                path: SimulatorHarness.externalParamsPath,
                body: SimulatorHarness.json(SimulatorHarness.externalParamsExample),
                headers: [("authorization", "bearer sim-bearer-token")]
            )
            #expect(reply.status == 200)
        }
    }

    @Test func sameBodyTwiceIsAcceptedTwiceInOrder() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let first = #"{"externalParams":["# + Self.item(value: #""first""#) + "]}"
            let second = #"{"externalParams":["# + Self.item(value: #""second""#) + "]}"
            #expect(try await harness.postExternalParams(first).status == 200)
            #expect(try await harness.postExternalParams(second).status == 200)
            #expect(try await harness.postExternalParams(first).status == 200)
            #expect(harness.simulator.accepted(.externalParams).map(\.body) == [first, second, first])
            #expect(harness.simulator.stats().count(.externalParams, status: 200) == 3)
        }
    }
}
