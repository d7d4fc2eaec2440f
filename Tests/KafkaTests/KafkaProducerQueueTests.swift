import Kafka
import Testing

private typealias Support = KafkaTestSupport

@Suite struct KafkaProducerQueueTests {
    @Test func aBatchLargerThanLibrdkafkasQueueIsSentWholeAndInOrder() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("queue-full")
        try cluster.createTopic(topic, partitions: 1)
        // librdkafka takes 10 records at a time: the producer thread must wait for room 50 times.
        let producer = try Support.producer(cluster, properties: ["queue.buffering.max.messages": "10"])
        let reports = try await Support.produce(producer, topic: topic, count: 500)
        #expect(reports.map(\.offset) == Array(0..<500))
        #expect(reports.allSatisfy { $0.topic == topic && $0.partition == 0 })
        await producer.close()
    }

    @Test func concurrentBatchesToSeveralTopicsEachGetTheirOwnReports() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topics = (0..<3).map { Support.uniqueName("topic-\($0)") }
        for topic in topics { try cluster.createTopic(topic, partitions: 1) }
        let producer = try Support.producer(cluster)
        let counts = try await withThrowingTaskGroup(of: (String, [Int64]).self) { group in
            for topic in topics {
                group.addTask { (topic, try await Support.produce(producer, topic: topic, count: 3_000).map(\.offset)) }
            }
            var counts: [String: [Int64]] = [:]
            for try await (topic, offsets) in group { counts[topic] = offsets }
            return counts
        }
        for topic in topics { #expect(counts[topic] == Array(0..<3_000)) }
        await producer.close()
    }

    @Test func oneBatchAlternatingTopicsReportsEachRecordsOwnTopic() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topics = [Support.uniqueName("left"), Support.uniqueName("right")]
        for topic in topics { try cluster.createTopic(topic, partitions: 2) }
        let producer = try Support.producer(cluster)
        let records = (0..<100).map { index in
            KafkaOutgoingRecord(topic: topics[index % 2], partition: Int32(index % 4 / 2), key: nil, value: Support.bytes("v\(index)"))
        }
        let reports = try await producer.send(batch: records).map { try $0.get() }
        #expect(reports.map(\.topic) == records.map(\.topic))
        #expect(reports.map(\.partition) == records.map { $0.partition ?? -1 })
        await producer.close()
    }
}
