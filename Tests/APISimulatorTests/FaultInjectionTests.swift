import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

@testable import APISimulator

/// Each kind of fault, through the Swift API, over real HTTP.
@Suite struct FaultInjectionTests {
    static let customerBody = SimulatorHarness.json(SimulatorHarness.customerMetadataExample.filter { $0.key != "eventId" })
    static let entityBody = SimulatorHarness.json(SimulatorHarness.externalParamsExample)

    @Test func failNextAppliesToItsAPIOnlyAndRunsOut() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(2, status: 503, api: .externalParams))
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 200)
            for _ in 0..<2 {
                let reply = try await harness.postExternalParams(Self.entityBody)
                #expect(reply.status == 503)
                ExternalParamsAPITests.expectNak(reply, code: "GLOBAL_1001")
            }
            #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
            #expect(harness.simulator.stats().count(.externalParams, status: 503) == 2)
            #expect(harness.simulator.accepted(.externalParams).count == 1)
        }
    }

    @Test func nakWithStatus200CarriesTheChosenCode() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(1, status: 200, code: "GLOBAL_1001", api: .externalParams))
            let reply = try await harness.postExternalParams(Self.entityBody)
            #expect(reply.status == 200)
            ExternalParamsAPITests.expectNak(reply, code: "GLOBAL_1001")
            #expect(reply.json["errorMessage"] as? String == "Service unavailable. Please try again")
        }
    }

    @Test func apiOneFailureWithStatus200CarriesAResultError() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(1, status: 200, code: "FAIL_BAD_PARAMS", message: "ERROR: agent id cannot be blank"))
            let reply = try await harness.postCustomerMetadata(Self.customerBody)
            #expect(reply.status == 200)
            #expect(reply.result["error"] as? String == "FAIL_BAD_PARAMS: ERROR: agent id cannot be blank")
            #expect(harness.simulator.accepted(.customerMetadata).isEmpty)
        }
    }

    @Test func apiOneFailureWithOtherStatusUsesTheErrorObject() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(1, status: 500, api: .customerMetadata))
            harness.simulator.addFault(.failNext(1, status: 422, code: "422-07", api: .customerMetadata))
            let first = try await harness.postCustomerMetadata(Self.customerBody)
            #expect(first.status == 500)
            #expect(first.errorObject["code"] as? String == "500-01")
            #expect(first.errorObject["message"] as? String == "Internal server error")
            let second = try await harness.postCustomerMetadata(Self.customerBody)
            #expect(second.status == 422)
            #expect(second.errorObject["code"] as? String == "422-07")
        }
    }

    @Test func verbatimBodyAndRetryAfter() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(1, status: 502, body: "<html>bad gateway</html>", retryAfter: 7))
            let reply = try await harness.postCustomerMetadata(Self.customerBody)
            #expect(reply.status == 502)
            #expect(reply.text == "<html>bad gateway</html>")
            #expect(reply.headers.first(name: "retry-after") == "7")
        }
    }

    @Test func matchingLimitsAFaultToBodiesContainingTheText() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(1, status: 500, matching: "poison"))
            var poisoned = SimulatorHarness.customerMetadataExample
            poisoned["eventId"] = "poison-1"
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 200)
            #expect(try await harness.postCustomerMetadata(SimulatorHarness.json(poisoned)).status == 500)
            #expect(try await harness.postCustomerMetadata(SimulatorHarness.json(poisoned)).status == 200)
        }
    }

    @Test func matchingAlsoLooksAtThePath() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failNext(5, status: 404, matching: "/plan/"))
            #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
            let planPath = ExternalParamsAPITests.path(entity: "plan")
            #expect(try await harness.postExternalParams(Self.entityBody, path: planPath).status == 404)
        }
    }

    @Test func throttleAnswers429WithRetryAfter() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.throttleNext(1, retryAfter: 3))
            let throttled = try await harness.postCustomerMetadata(Self.customerBody)
            #expect(throttled.status == 429)
            #expect(throttled.headers.first(name: "retry-after") == "3")
            #expect(throttled.errorObject["code"] as? String == "429-01")
            #expect(throttled.errorObject["message"] as? String == "Too Many Requests")
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 200)
        }
    }

    @Test func dropClosesTheConnectionWithoutAnswer() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.dropNext(1, api: .externalParams))
            await #expect(throws: (any Error).self) {
                _ = try await harness.postExternalParams(Self.entityBody)
            }
            #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
            #expect(harness.simulator.stats().droppedCount(.externalParams) == 1)
            #expect(harness.simulator.stats().answered(.externalParams) == 1)
        }
    }

    @Test func failForLastsItsDurationOnTheSimulatorsClock() async throws {
        let clock = ManualClock()
        try await SimulatorHarness.with(now: { clock.now }) { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failFor(.seconds(10), status: 503, api: .customerMetadata))
            for _ in 0..<3 {
                #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 503)
            }
            clock.advance(by: .seconds(9))
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 503)
            clock.advance(by: .seconds(1))
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 200)
        }
    }

    @Test func clearFaultsEndsThemAll() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.addFault(.failFor(.seconds(3600), status: 503))
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 503)
            harness.simulator.clearFaults()
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 200)
        }
    }

    @Test func latencyDelaysTheAnswer() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.setLatency(.milliseconds(300), api: .externalParams)
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
            #expect(clock.now - start >= .milliseconds(300))
            harness.simulator.setLatency(.zero)
            #expect(try await harness.postExternalParams(Self.entityBody).status == 200)
        }
    }

    @Test func rotatedCredentialsRefuseTheOldOnes() async throws {
        try await SimulatorHarness.with { (harness: SimulatorHarness) async throws in
            harness.simulator.rotateCredentials(SimulatorCredentials(apiId: "new-id", apiSecret: "new-secret", token: "new-token"))
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 401)
            #expect(try await harness.postExternalParams(Self.entityBody).status == 401)
            let newOne = try await harness.send(
                path: SimulatorHarness.customerMetadataPath, body: Self.customerBody,
                headers: [("asapp-api-id", "new-id"), ("asapp-api-secret", "new-secret")]
            )
            #expect(newOne.status == 200)
            let newTwo = try await harness.send(
                path: SimulatorHarness.externalParamsPath, body: Self.entityBody, headers: [("authorization", "Bearer new-token")]
            )
            #expect(newTwo.status == 200)
            harness.simulator.reset()
            #expect(try await harness.postCustomerMetadata(Self.customerBody).status == 200)
        }
    }
}
