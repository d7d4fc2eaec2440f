@testable import Kafka
import Testing

/// Groups handed to the producer in one hand-over (`enqueue(groups:)`) complete one by one: a
/// group whose partition has no leader holds up only itself (the reply writer relies on this,
/// docs/contract.md, "When the broker refuses a reply").
@Suite struct KafkaProducerGroupTests {
    typealias Support = KafkaTestSupport

    @Test func groupsHandedOverTogetherCompleteEachOnItsOwn() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("groups")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try Support.producer(cluster, messageTimeout: .seconds(20))
        // Warm up: metadata and a connection, so the leaderless partition is the only delay.
        _ = try await producer.send(KafkaOutgoingRecord(topic: topic, partition: 0, key: nil, value: Support.bytes("warm")))
        try cluster.setPartitionLeader(topic: topic, partition: 1, broker: nil)

        func record(_ partition: Int32, _ text: String) -> KafkaOutgoingRecord {
            KafkaOutgoingRecord(topic: topic, partition: partition, key: nil, value: Support.bytes(text))
        }
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
}
