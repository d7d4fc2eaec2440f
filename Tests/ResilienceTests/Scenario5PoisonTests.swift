import Foundation
import Kafka
import Testing
import TestSupport

extension ResilienceScenarios {
    /// Scenario 5: 1% poison events mixed into the stream — text that is not JSON, events that
    /// break a rule of each API, a record over BRIDGE_MAX_EVENT_BYTES, and events the API refuses
    /// with 422. Each lands in the dead-letter topic exactly once with its code; the rest succeed.
    @Test func scenario5OnePercentPoison() async throws {
        let count = Self.eventCount("poison", default: 20_000)
        let rig = try await ResilienceRig.start(partitions: 8)
        let ledger = try ReplyLedger(rig: rig)
        // The API refuses (permanently) any API 1 request whose body holds "refuse-me".
        let faultStatus = try await rig.control(
            "POST", "/_control/faults", json: #"{"type":"failFor","seconds":3600,"status":422,"matching":"refuse-me","api":"customer-metadata"}"#)

        var records: [KafkaOutgoingRecord] = []
        var expectedCodes: [Int: String] = [:]
        for index in 0..<count {
            guard index % 100 == 50 else {
                records.append(index % 4 == 3 ? ResilienceEvents.entity(index) : ResilienceEvents.customer(index))
                continue
            }
            let (record, code) = Self.poison(index)
            records.append(record)
            expectedCodes[index] = code
        }
        let sources = try await rig.produce(records)
        let bridge = try rig.startBridge(group: Self.group("poison"), Self.quickRetries.merging(["BRIDGE_MAX_EVENT_BYTES": "4096"]) { $1 })
        let complete = await ledger.waitForAll(Set(sources), timeout: .seconds(240))
        let book = ledger.snapshot
        let tally = ScenarioTally(number: 5, name: "1% poison events", sources: sources, book: book)
        tally.print()
        bridge.send(SIGTERM)
        let exit = await bridge.waitForExit(timeout: .seconds(30))

        var wrong: [String] = []
        for (index, source) in sources.enumerated() {
            let letters = book.deadLetters[source] ?? []
            let replies = book.replies[source] ?? []
            if let code = expectedCodes[index] {
                if letters.count != 1 || letters.first?.errorCode != code || replies.contains(where: { $0.errorCode != code }) {
                    wrong.append("#\(index) \(source): want \(code), dead letters \(letters.map(\.errorCode)), replies \(replies.map(\.status))")
                }
            } else if !letters.isEmpty || replies.contains(where: { $0.status != "succeeded" }) {
                wrong.append("#\(index) \(source): good event has dead letters \(letters.map(\.errorCode)), replies \(replies.map(\.status))")
            }
        }
        #expect(faultStatus == 200)
        #expect(complete, "not every event was answered: \(bridge.log.suffix(2000))")
        #expect(tally.lost == 0)
        #expect(tally.deadLetters == expectedCodes.count)
        #expect(book.deadLetterCount == expectedCodes.count, "dead letters for records not fed in this scenario")
        #expect(wrong.isEmpty, "\(wrong.count) events went wrong: \(wrong.prefix(5))")
        #expect(tally.unreadable == 0)
        #expect(exit == 0, "the bridge did not stop cleanly: \(bridge.log.suffix(2000))")
        await ledger.close()
        await bridge.ensureStopped()
        await rig.stop()
    }

    /// Poison number `index` and the error code its dead letter must carry; the kinds take turns.
    static func poison(_ index: Int) -> (KafkaOutgoingRecord, String) {
        let customer = ResilienceRig.customerTopic, entity = ResilienceRig.entityTopic
        func record(_ topic: String, _ value: String) -> KafkaOutgoingRecord {
            KafkaOutgoingRecord(topic: topic, key: Array("poison-\(index)".utf8), value: Array(value.utf8))
        }
        switch (index / 100) % 6 {
        case 0: return (record(customer, #"{"conversationId":"conv-\#(index)","#), "INVALID_JSON")
        case 1: return (record(customer, #"{"conversationId":"conv-\#(index)","email":"x@example.com"}"#), "INVALID_EVENT")
        case 2:
            return (record(entity, #"{"customerId":"not-a-uuid","entity":{"type":"plan","id":"a5ad9f06-0164-4475-8919-fcf1d4a4befe"},"params":[]}"#),
                    "INVALID_EVENT")
        case 3: return (record(entity, "\u{FEFF}garbage \(index)"), "INVALID_JSON")
        case 4:
            let padding = String(repeating: "p", count: 5_000)
            return (record(customer, #"{"conversationId":"conv-\#(index)","customerId":"c","status":"\#(padding)"}"#), "EVENT_TOO_LARGE")
        default:
            return (record(customer, #"{"conversationId":"refuse-me-\#(index)","customerId":"cust-\#(index)"}"#), "422-01")
        }
    }
}
