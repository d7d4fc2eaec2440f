import APISimulator
import AsyncHTTPClient
@testable import Bridge
import CustomerAPIs
import Foundation
import Kafka
import Logging
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The bridge end to end, over librdkafka's mock cluster and the API simulator on loopback.
@Suite(.serialized) struct BridgePipelineTests {
    @Test func aMixedBatchGetsExactlyOneReplyPerEventWithTheRightStatus() async throws {
        let harness = try await BridgeHarness.start()
        harness.simulator.addFault(.failFor(.seconds(3600), status: 422, api: .customerMetadata, matching: "perm-"))
        harness.simulator.addFault(.failFor(.seconds(3600), status: 200, code: "CUSTOMER_1024", api: .externalParams, matching: "\"nak-"))
        var records: [KafkaOutgoingRecord] = []
        var expected: [String: String] = [:]  // event id → status
        for index in 0..<10_000 {
            let key = "key-\(index % 500)"
            switch index % 10 {
            case 0:
                records.append(TestEvents.record(BridgeHarness.customerTopic, key: key, value: TestEvents.customer(index)))
                expected["evt-\(index)"] = "rejected"
            case 1:
                records.append(TestEvents.record(
                    BridgeHarness.customerTopic, key: key,
                    value: TestEvents.customer(index, customerID: "cust-\(index)", userID: "perm-\(index)")))
                expected["evt-\(index)"] = "failed"
            case 2...5:
                records.append(TestEvents.record(BridgeHarness.customerTopic, key: key, value: TestEvents.customer(index, customerID: "cust-\(index)")))
                expected["evt-\(index)"] = "succeeded"
            default:
                let nak = index % 100 == 9
                records.append(TestEvents.record(BridgeHarness.entityTopic, key: key, value: TestEvents.entity(index, value: nak ? "nak-\(index)" : nil)))
                expected["ent-\(index)"] = nak ? "failed" : "succeeded"
            }
        }
        try await harness.produce(records)
        let bridge = await harness.startBridge()
        let replies = try await harness.read("bridge-replies", count: 10_000, timeout: .seconds(180))
        try await bridge.stop()

        #expect(replies.count == 10_000)
        var seen: [String: String] = [:]
        var sources = Set<String>()
        for reply in replies {
            let json = reply.json
            let eventID = try #require(json["eventId"] as? String)
            #expect(seen[eventID] == nil, "two replies for \(eventID)")
            seen[eventID] = json["status"] as? String
            let source = try #require(json["source"] as? [String: Any])
            sources.insert("\(source["topic"] ?? "")/\(source["partition"] ?? "")/\(source["offset"] ?? "")")
            #expect(reply.header("bridge-status") == json["status"] as? String)
        }
        #expect(sources.count == 10_000)
        #expect(seen == expected)

        let deadLetters = try await harness.read("bridge-dlq", count: 2_100, timeout: .seconds(60))
        #expect(deadLetters.count == 2_100)
        let deadIDs = Set(deadLetters.compactMap { $0.header("dlq.event.id") })
        #expect(deadIDs == Set(expected.filter { $0.value != "succeeded" }.keys))
        await harness.close()
    }

    @Test func repliesAndDeadLettersMatchTheContractFieldByField() async throws {
        let harness = try await BridgeHarness.start(partitions: 1)
        harness.simulator.addFault(.failFor(.seconds(3600), status: 200, code: "CUSTOMER_1024", api: .externalParams, matching: "\"nak-"))
        let original = TestEvents.record(
            BridgeHarness.entityTopic, key: "k1", value: TestEvents.entity(7, value: "nak-7"),
            headers: [KafkaHeader(name: "correlation-id", value: Array("corr-7".utf8)),
                      KafkaHeader(name: "traceparent", value: Array("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".utf8)),
                      KafkaHeader(name: "x-custom", value: [0, 1, 2, 255])])
        try await harness.produce([
            TestEvents.record(BridgeHarness.customerTopic, key: "k0", value: TestEvents.customer(1, customerID: "cust-1")),
            original,
            TestEvents.record(BridgeHarness.customerTopic, key: nil, value: Array("not json".utf8)),
        ])
        let bridge = await harness.startBridge()
        let replies = try await harness.read("bridge-replies", count: 3)
        let deadLetters = try await harness.read("bridge-dlq", count: 2)
        try await bridge.stop()

        let byStatus = Dictionary(grouping: replies) { $0.json["status"] as? String ?? "" }
        let success = try #require(byStatus["succeeded"]?.first)
        let successJSON = success.json
        #expect(Set(successJSON.keys) == ["status", "kind", "eventId", "source", "attempts", "httpStatus", "result", "error", "duplicate", "completedAt"])
        #expect(successJSON["kind"] as? String == "customer-metadata")
        #expect(successJSON["eventId"] as? String == "evt-1")
        #expect(successJSON["attempts"] as? Int == 1)
        #expect(successJSON["httpStatus"] as? Int == 200)
        #expect((successJSON["result"] as? [String: Any])?["eventId"] is String)
        #expect(successJSON["error"] is NSNull)
        #expect(successJSON["duplicate"] as? Bool == false)
        #expect((successJSON["completedAt"] as? String).map { Timestamp(rfc3339: $0) != nil } == true)
        #expect(success.key == Array("k0".utf8))
        #expect(success.header("correlation-id") == "evt-1")
        #expect(success.header("traceparent") == nil)

        let failed = try #require(byStatus["failed"]?.first)
        let failedJSON = failed.json
        #expect(failedJSON["kind"] as? String == "external-params")
        #expect(failedJSON["eventId"] as? String == "ent-7")
        #expect(failedJSON["result"] is NSNull)
        let error = try #require(failedJSON["error"] as? [String: Any])
        #expect(error["code"] as? String == "CUSTOMER_1024")
        #expect(error["retryable"] as? Bool == false)
        #expect(failed.header("correlation-id") == "corr-7")
        #expect(failed.header("traceparent") == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")

        let rejected = try #require(byStatus["rejected"]?.first)
        #expect(rejected.json["attempts"] as? Int == 0)
        #expect(rejected.json["httpStatus"] is NSNull)
        #expect((rejected.json["error"] as? [String: Any])?["code"] as? String == "INVALID_JSON")
        #expect(rejected.key == nil)

        let letter = try #require(deadLetters.first { $0.header("dlq.event.id") == "ent-7" })
        #expect(letter.key == original.key)
        #expect(letter.value == original.value)
        #expect(letter.headers.prefix(3).map(\.name) == ["correlation-id", "traceparent", "x-custom"])
        #expect(letter.headers[2].value == [0, 1, 2, 255])
        #expect(letter.header("dlq.source.topic") == BridgeHarness.entityTopic)
        #expect(letter.header("dlq.source.partition") == "0")
        #expect(letter.header("dlq.source.offset") == "0")
        #expect(letter.header("dlq.status") == "failed")
        #expect(letter.header("dlq.error.code") == "CUSTOMER_1024")
        #expect(letter.header("dlq.http.status") == "200")
        #expect(letter.header("dlq.attempts") == "1")
        #expect(letter.header("dlq.failed.at").flatMap { Timestamp(rfc3339: $0) } != nil)
        #expect(letter.header("dlq.replay.count") == "0")
        #expect(letter.header("__connect.errors.topic") == BridgeHarness.entityTopic)
        #expect(letter.header("__connect.errors.offset") == "0")
        let rejectedLetter = try #require(deadLetters.first { $0.header("dlq.status") == "rejected" })
        #expect(rejectedLetter.header("dlq.attempts") == "0")
        #expect(rejectedLetter.header("dlq.http.status") == nil)
        #expect(rejectedLetter.value == Array("not json".utf8))
        await harness.close()
    }

    @Test func eachKeysEventsReachTheAPIInTheirOrder() async throws {
        let harness = try await BridgeHarness.start()
        harness.simulator.setLatency(.milliseconds(1))
        var records: [KafkaOutgoingRecord] = []
        for sequence in 0..<30 {
            for key in 0..<100 {
                records.append(TestEvents.record(
                    BridgeHarness.customerTopic, key: "key-\(key)",
                    value: TestEvents.customer(sequence * 1000 + key, customerID: "cust-\(key)")))
            }
        }
        try await harness.produce(records)
        let bridge = await harness.startBridge()
        let replies = try await harness.read("bridge-replies", count: records.count, timeout: .seconds(120))
        try await bridge.stop()
        #expect(replies.count == records.count)

        var lastSequence: [String: Int] = [:]
        var outOfOrder = 0
        for request in harness.simulator.accepted(.customerMetadata) {
            guard let eventID = request.eventId, let number = Int(eventID.dropFirst(4)) else { continue }
            let key = "\(number % 1000)"
            let sequence = number / 1000
            if let last = lastSequence[key], last >= sequence { outOfOrder += 1 }
            lastSequence[key] = sequence
        }
        #expect(lastSequence.count == 100)
        #expect(outOfOrder == 0)
        await harness.close()
    }

    @Test func anOutageLongerThanTheRetryBudgetDeadLettersNothing() async throws {
        let harness = try await BridgeHarness.start { settings in
            settings.maxAttempts = 3
            settings.circuitThreshold = 5
            settings.circuitProbe = .milliseconds(300)
        }
        harness.simulator.addFault(.failFor(.seconds(4), status: 503, api: .customerMetadata))
        let bridge = await harness.startBridge()
        try await harness.produce((0..<100).map {
            TestEvents.record(BridgeHarness.customerTopic, key: "k\($0 % 10)", value: TestEvents.customer($0, customerID: "c\($0)"))
        })
        // While the API is down, /readyz says why.
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var sawReason = false
        let until = ContinuousClock.now + .seconds(4)
        while ContinuousClock.now < until, !sawReason {
            let response = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bridge.httpPort)/readyz"), timeout: .seconds(2))
            let body = String(buffer: try await response.body.collect(upTo: 4096))
            if response.status.code == 503, body.contains("customer-metadata API circuit open") { sawReason = true }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(sawReason)
        // More events arrive during the outage.
        try await harness.produce((100..<200).map {
            TestEvents.record(BridgeHarness.customerTopic, key: "k\($0 % 10)", value: TestEvents.customer($0, customerID: "c\($0)"))
        })
        let replies = try await harness.read("bridge-replies", count: 200, timeout: .seconds(60))
        let ready = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bridge.httpPort)/readyz"), timeout: .seconds(2))
        #expect(ready.status.code == 200)
        try await http.shutdown()
        try await bridge.stop()
        #expect(replies.count == 200)
        #expect(replies.allSatisfy { $0.json["status"] as? String == "succeeded" })
        let deadLetters = try await harness.read("bridge-dlq", count: 1, timeout: .seconds(3))
        #expect(deadLetters.isEmpty)
        await harness.close()
    }

    @Test func aPoisonEventNeverHoldsBackTheEventsBehindIt() async throws {
        let harness = try await BridgeHarness.start(partitions: 1)
        harness.simulator.addFault(.failFor(.seconds(3600), status: 422, api: .customerMetadata, matching: "perm-"))
        var records = [TestEvents.record(BridgeHarness.customerTopic, key: "same", value: Array("{\"broken".utf8))]
        records.append(TestEvents.record(BridgeHarness.customerTopic, key: "same", value: nil))  // a tombstone
        records.append(TestEvents.record(
            BridgeHarness.customerTopic, key: "same", value: TestEvents.customer(0, customerID: "c0", userID: "perm-0")))
        records += (1...20).map { TestEvents.record(BridgeHarness.customerTopic, key: "same", value: TestEvents.customer($0, customerID: "c\($0)")) }
        try await harness.produce(records)
        let bridge = await harness.startBridge()
        let replies = try await harness.read("bridge-replies", count: records.count, timeout: .seconds(60))
        try await bridge.stop()
        let statuses = replies.map { $0.json["status"] as? String ?? "" }
        #expect(statuses.count == 23)
        #expect(Array(statuses.prefix(3)) == ["rejected", "rejected", "failed"])
        #expect(statuses.dropFirst(3).allSatisfy { $0 == "succeeded" })
        await harness.close()
    }
}

extension TestEvents {
    static func entity(_ index: Int, value: String?) -> [UInt8] {
        guard let value else { return entity(index) }
        let text = String(decoding: entity(index), as: UTF8.self).replacingOccurrences(of: "\"value\":\"\(index)\"", with: "\"value\":\"\(value)\"")
        return Array(text.utf8)
    }
}
