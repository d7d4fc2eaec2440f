import Foundation
import NIOHTTP1
import Testing

@testable import APISimulator

/// The `/_control/` endpoints over real HTTP, and the recording modes and lifecycle.
@Suite struct ControlEndpointTests {
    static let entityBody = SimulatorHarness.json(SimulatorHarness.externalParamsExample)

    @Test func faultPostedAsJSONApplies() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let added = try await harness.send(
                path: "/_control/faults",
                body: #"{"type":"failNext","count":1,"status":200,"code":"CUSTOMER_1024","api":"external-params"}"#
            )
            #expect(added.status == 200)
            #expect((added.json["faults"] as? [Any])?.count == 1)
            let reply = try await harness.postExternalParams(Self.entityBody)
            ExternalParamsAPITests.expectNak(reply, code: "CUSTOMER_1024")
            let listed = try await harness.send(.GET, path: "/_control/faults")
            #expect((listed.json["faults"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func faultListThrottleDropAndDelete() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let body = #"[{"type":"throttleNext","count":2,"retryAfter":1},{"type":"dropFor","seconds":60,"matching":"never-sent"}]"#
            #expect(try await harness.send(path: "/_control/faults", body: body).status == 200)
            #expect(harness.simulator.core.activeFaults.count == 2)
            #expect(try await harness.send(.DELETE, path: "/_control/faults").status == 200)
            #expect(harness.simulator.core.activeFaults.isEmpty)
        }
    }

    @Test(arguments: [
        #"{"type":"failSoon","count":1,"status":500}"#, #"{"type":"failNext","status":500}"#,
        #"{"type":"failNext","count":0,"status":500}"#, #"{"type":"failNext","count":1,"status":999}"#,
        #"{"type":"dropNext","count":1,"api":"other-api"}"#, "not json",
    ])
    func invalidFaultIsRefused(_ body: String) async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            let reply = try await harness.send(path: "/_control/faults", body: body)
            #expect(reply.status == 400)
            #expect(reply.json["error"] is String)
            #expect(harness.simulator.core.activeFaults.isEmpty)
        }
    }

    @Test func latencyCredentialsStatsAcceptedAndReset() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            #expect(try await harness.send(path: "/_control/latency", body: #"{"milliseconds":0}"#).status == 200)
            let rotated = try await harness.send(
                path: "/_control/credentials", body: #"{"apiId":"a","apiSecret":"s","token":"t"}"#
            )
            #expect(rotated.status == 200)
            #expect(!rotated.text.contains("\"s\""))
            #expect(try await harness.postExternalParams(Self.entityBody).status == 401)
            let accepted = try await harness.send(
                path: SimulatorHarness.externalParamsPath, body: Self.entityBody,
                headers: [("authorization", "Bearer t"), ("correlation-id", "c-1")]
            )
            #expect(accepted.status == 200)

            let stats = try await harness.send(.GET, path: "/_control/stats")
            let statuses = stats.json["statuses"] as? [String: [String: Int]]
            #expect(statuses?["external-params"] == ["200": 1, "401": 1])

            let list = try await harness.send(.GET, path: "/_control/accepted?api=external-params")
            let records = (try? JSONSerialization.jsonObject(with: Data(list.text.utf8))) as? [[String: Any]] ?? []
            #expect(records.count == 1)
            #expect(records.first?["correlationId"] as? String == "c-1")
            #expect(records.first?["body"] as? String == Self.entityBody)
            #expect(try await harness.send(.GET, path: "/_control/accepted?api=nope").status == 400)

            #expect(try await harness.send(path: "/_control/reset", body: "").status == 200)
            #expect(harness.simulator.stats() == SimulatorStats())
            #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
        }
    }

    @Test func unknownControlEndpointIs404() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            #expect(try await harness.send(.GET, path: "/_control/nothing").status == 404)
        }
    }

    @Test func recordingOffKeepsNoRequestsButCountsThem() async throws {
        try await SimulatorHarness.with(recording: .none) { (harness: SimulatorHarness) async throws in
            for _ in 0..<3 {
                #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
            }
            #expect(harness.simulator.accepted(.externalParams).isEmpty)
            #expect(harness.simulator.stats().count(.externalParams, status: 200) == 3)
        }
    }

    @Test func boundedRecordingKeepsTheLatest() async throws {
        try await SimulatorHarness.with(recording: .latest(2)) { (harness: SimulatorHarness) async throws in
            for value in ["1", "2", "3"] {
                let body = #"{"externalParams":["# + ExternalParamsAPITests.item(value: "\"\(value)\"") + "]}"
                #expect(try await harness.postExternalParams(body).status == 200)
            }
            let bodies = harness.simulator.accepted(.externalParams).map(\.body)
            #expect(bodies.count == 2)
            #expect(bodies.first?.contains(#""value":"2""#) == true)
            #expect(bodies.last?.contains(#""value":"3""#) == true)
        }
    }

    @Test func startTwiceFailsAndStopFreesThePort() async throws {
        let simulator = APISimulator()
        let port = try await simulator.start()
        #expect(port > 0)
        #expect(simulator.baseURL == "http://127.0.0.1:\(port)")
        await #expect(throws: SimulatorError.alreadyRunning) {
            _ = try await simulator.start()
        }
        await simulator.stop()
        #expect(simulator.baseURL == "http://127.0.0.1:0")
        let again = try await simulator.start(port: port)
        #expect(again == port)
        await simulator.stop()
    }

    @Test func startOnABusyPortThrowsAndLeavesTheSimulatorStartable() async throws {
        let first = APISimulator()
        let port = try await first.start()
        let second = APISimulator()
        await #expect(throws: (any Error).self) {
            _ = try await second.start(port: port)
        }
        let other = try await second.start()
        #expect(other != port)
        await second.stop()
        await first.stop()
    }
}
