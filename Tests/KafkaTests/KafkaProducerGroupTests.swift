@testable import Kafka
import TestSupport
import Testing

/// Groups handed to the producer in one hand-over (`enqueue(groups:)`) complete one by one: a
/// group whose partition has no leader holds up only itself (the reply writer relies on this,
/// docs/contract.md, "When the broker refuses a reply").
@Suite struct KafkaProducerGroupTests {
    typealias Support = KafkaTestSupport

    /// A topic of two partitions whose partition 1 has no leader, and a producer warmed up on
    /// partition 0 (metadata and a connection), so the leaderless partition is the only delay.
    struct LeaderlessRig {
        let cluster: KafkaMockCluster
        let topic: String
        let producer: KafkaProducer

        init(_ prefix: String) async throws {
            cluster = try KafkaMockCluster(logger: Support.logger)
            topic = Support.uniqueName(prefix)
            try cluster.createTopic(topic, partitions: 2)
            producer = try Support.producer(cluster, messageTimeout: .seconds(20))
            _ = try await producer.send(KafkaOutgoingRecord(topic: topic, partition: 0, key: nil, value: Support.bytes("warm")))
            try cluster.setPartitionLeader(topic: topic, partition: 1, broker: nil)
        }

        func record(_ partition: Int32, _ text: String) -> KafkaOutgoingRecord {
            KafkaOutgoingRecord(topic: topic, partition: partition, key: nil, value: Support.bytes(text))
        }
    }

    @Test func groupsHandedOverTogetherCompleteEachOnItsOwn() async throws {
        let rig = try await LeaderlessRig("groups")
        defer { rig.cluster.close() }
        let (cluster, topic, producer, record) = (rig.cluster, rig.topic, rig.producer, rig.record)
        let tickets = producer.enqueue(groups: [
            [record(0, "a1"), record(0, "a2")],
            [record(1, "stuck")],
            [record(0, "c1")],
            [],
        ])
        #expect(tickets.count == 4)
        let stuck = Task { await producer.results(of: tickets[1]) }
        let first = await producer.results(of: tickets[0])
        let third = await producer.results(of: tickets[2])
        let empty = await producer.results(of: tickets[3])
        #expect(first.map { (try? $0.get())?.partition } == [0, 0])
        #expect(third.map { (try? $0.get())?.partition } == [0])
        #expect(empty.isEmpty)
        #expect(!stuck.isCancelled)

        // The stuck group completes once its partition has a leader again.
        try cluster.setPartitionLeader(topic: topic, partition: 1, broker: 1)
        let stuckResults = await stuck.value
        #expect(stuckResults.map { (try? $0.get())?.partition } == [1], "\(stuckResults)")

        await producer.close()
        let late = producer.enqueue(groups: [[record(0, "late")]])
        let lateResults = await producer.results(of: late[0])
        #expect(lateResults.count == 1)
        if case .failure(let error) = lateResults[0] { #expect(error.isClosed) } else { Issue.record("a closed producer took a group") }
    }

    @Test func resultsCalledBackComeAsEachGroupCompletesWhateverTheOrder() async throws {
        let rig = try await LeaderlessRig("callbacks")
        defer { rig.cluster.close() }
        let (cluster, topic, producer, record) = (rig.cluster, rig.topic, rig.producer, rig.record)
        // The stuck group comes first: the groups after it are called back without waiting for it.
        let tickets = producer.enqueue(groups: [[record(1, "stuck")], [record(0, "b1"), record(0, "b2")], [record(0, "c1")], []])
        let called = Locked<[Int: [Int32?]]>([:])
        for (index, ticket) in tickets.enumerated() {
            producer.whenResults(of: ticket) { results in
                called.withLock { $0[index] = results.map { (try? $0.get())?.partition } }
            }
        }
        let others = await eventually(within: .seconds(10)) { called.withLock { $0.count == 3 } }
        #expect(others)
        #expect(called.withLock { $0 } == [1: [0, 0], 2: [0], 3: []])

        try cluster.setPartitionLeader(topic: topic, partition: 1, broker: 1)
        let stuck = await eventually(within: .seconds(15)) { called.withLock { $0[0] != nil } }
        #expect(stuck)
        #expect(called.withLock { $0[0] } == [1])

        // A group whose results are in already is called back at once, on the caller's thread.
        let done = producer.enqueue(groups: [[record(0, "d1")]])
        _ = await producer.results(of: producer.enqueue(groups: [[record(0, "d2")]])[0])
        let atOnce = Locked<Bool>(false)
        await producer.close()
        producer.whenResults(of: done[0]) { _ in atOnce.withLock { $0 = true } }
        #expect(atOnce.withLock { $0 })
        let late = producer.enqueue(groups: [[record(0, "late")]])
        let lateError = Locked<KafkaError?>(nil)
        producer.whenResults(of: late[0]) { results in
            if case .failure(let error) = results.first { lateError.withLock { $0 = error } }
        }
        #expect(lateError.withLock { $0?.isClosed } == true)
    }
}
