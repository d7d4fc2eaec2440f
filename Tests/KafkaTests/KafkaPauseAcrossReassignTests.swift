@testable import Kafka
import Testing
import TestSupport

/// A partition the application paused moves to another member (the revoke ends the pause) and is
/// later assigned back to the first one, which wants it fetched: its records must arrive again.
/// The bridge does this when an API's circuit is open while the group rebalances (issue 13,
/// resilience scenario 7b).
@Suite struct KafkaPauseAcrossReassignTests {
    typealias Support = KafkaTestSupport

    @Test func aPausedPartitionThatMovesAwayAndComesBackIsFetchedAgain() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("back")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try Support.producer(cluster)
        _ = try await Support.produce(producer, topic: topic, count: 40)
        let group = Support.uniqueName("g")
        let first = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try first.subscribe(topics: [topic])
        let records = first.records
        let before = await Support.collect(records) { $0.count >= 40 }
        #expect(before.count == 40)
        let all = first.assignment()
        first.pause(all)

        let second = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try second.subscribe(topics: [topic])
        let secondRecords = second.records
        let reader = Task { await Support.collect(secondRecords, timeout: .seconds(60)) { _ in false } }
        let shared = await eventually(within: .seconds(30), every: .milliseconds(50)) { first.assignment().count < all.count }
        #expect(shared, "the second member never got partitions")
        // Fetch what stayed, as the bridge does when no event waits any more.
        first.resume(first.assignment())
        await second.close()
        _ = await reader.value
        let back = await eventually(within: .seconds(30), every: .milliseconds(50)) { first.assignment().count == all.count }
        #expect(back, "the partitions never came back")

        let produced = try await Support.produce(producer, topic: topic, count: 40, from: 40)
        await producer.close()
        let expected = Set(produced.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset) })
        let after = await Support.collect(records, timeout: .seconds(20)) { seen in
            expected.isSubset(of: Set(seen.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset) }))
        }
        let arrived = Set(after.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset) })
        let missing = Set(expected.subtracting(arrived).map(\.partition))
        #expect(missing.isEmpty, "nothing arrived of partitions \(missing.sorted()) after they came back")
        await first.close()
    }
}
