import Kafka
import Synchronization
import Testing

/// Offsets: explicit stores, commits, restarts.
@Suite struct KafkaOffsetTests {
    typealias Support = KafkaTestSupport

    @Test func aGroupThatClosesAndReopensResumesFromItsCommittedOffsets() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("resume")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try Support.producer(cluster)
        _ = try await Support.produce(producer, topic: topic, count: 40)
        let group = Support.uniqueName("g")

        let first = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try first.subscribe(topics: [topic])
        let firstRound = await Support.collect(first.records) { $0.count >= 40 }
        #expect(firstRound.count == 40)
        try first.storeOffsets(firstRound.map(\.nextOffset))
        try await first.commit()
        let partitions = (0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) }
        let committed = try await first.committedOffsets(partitions, timeout: .seconds(5))
        #expect(committed.map(\.offset).reduce(0, +) == 40)
        await first.close()

        _ = try await Support.produce(producer, topic: topic, count: 8, from: 40)
        let second = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try second.subscribe(topics: [topic])
        let secondRound = await Support.collect(second.records, timeout: .seconds(20)) { $0.count >= 8 }
        await second.close()
        await producer.close()
        #expect(secondRound.map { String(decoding: $0.value ?? [], as: UTF8.self) }.sorted() == (40..<48).map { "value-\($0)" }.sorted())
    }

    @Test func aRecordWhoseOffsetWasNotStoredIsDeliveredAgainAfterARestart() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("redeliver")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster)
        _ = try await Support.produce(producer, topic: topic, count: 10)
        await producer.close()
        let group = Support.uniqueName("g")

        let first = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try first.subscribe(topics: [topic])
        let firstRound = await Support.collect(first.records) { $0.count >= 10 }
        #expect(firstRound.count == 10)
        // Records 0...5 processed; 6...9 were received but not processed.
        for record in firstRound where record.offset <= 5 {
            try first.storeOffsets([record.nextOffset])
        }
        await first.close()  // commits the stored offset 6

        let second = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try second.subscribe(topics: [topic])
        let secondRound = await Support.collect(second.records, timeout: .seconds(20)) { $0.count >= 4 }
        await second.close()
        #expect(secondRound.map(\.offset) == [6, 7, 8, 9])
    }

    @Test func storingAnOffsetOfAnUnassignedPartitionThrows() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: "g"), logger: Support.logger)
        #expect(throws: KafkaError.self) {
            try consumer.storeOffsets([KafkaTopicPartitionOffset(topic: "nowhere", partition: 0, offset: 1)])
        }
        await consumer.close()
        await consumer.close()
        #expect(throws: KafkaError.self) { try consumer.subscribe(topics: ["t"]) }
    }

    @Test func theRebalanceHandlerSeesTheAssignmentAndStoresOffsetsOnRevoke() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("rebalance")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try Support.producer(cluster)
        _ = try await Support.produce(producer, topic: topic, count: 10)
        await producer.close()
        let group = Support.uniqueName("g")

        let events = Locked<[KafkaRebalanceEvent]>([])
        let lastSeen = Locked<[KafkaTopicPartition: Int64]>([:])
        let holder = Locked<KafkaConsumer?>(nil)
        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger) { event in
            events.withLock { $0.append(event) }
            if case .revoked(let partitions) = event, let consumer = holder.withLock({ $0 }) {
                let offsets = lastSeen.withLock { seen in
                    partitions.compactMap { partition in seen[partition].map { KafkaTopicPartitionOffset(topic: partition.topic, partition: partition.partition, offset: $0 + 1) } }
                }
                try? consumer.storeOffsets(offsets)
            }
        }
        holder.withLock { $0 = consumer }
        try consumer.subscribe(topics: [topic])
        let received = await Support.collect(consumer.records) { $0.count >= 10 }
        for record in received { lastSeen.withLock { $0[record.topicPartition] = record.offset } }
        #expect(consumer.assignment().count == 2)
        await consumer.close()
        holder.withLock { $0 = nil }

        let seen = events.withLock { $0 }
        #expect(seen.first == .assigned([KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)]))
        #expect(seen.contains { if case .revoked(let partitions) = $0 { partitions.count == 2 } else { false } })

        // The offsets stored in the revoke handler were committed at close.
        let reader = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        let committed = try await reader.committedOffsets([0, 1].map { KafkaTopicPartition(topic: topic, partition: $0) }, timeout: .seconds(5))
        await reader.close()
        #expect(committed.map(\.offset).reduce(0, +) == 10)
    }
}
