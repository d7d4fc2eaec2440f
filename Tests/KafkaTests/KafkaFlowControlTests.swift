import Kafka
import Synchronization
import Testing

/// Pause and resume, backpressure, and closing under load.
@Suite struct KafkaFlowControlTests {
    typealias Support = KafkaTestSupport

    @Test func pauseStopsDeliveryAndResumeRestartsIt() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("pause")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try Support.producer(cluster)
        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: Support.uniqueName("g")), logger: Support.logger)
        try consumer.subscribe(topics: [topic])
        let paused = KafkaTopicPartition(topic: topic, partition: 0)
        let running = KafkaTopicPartition(topic: topic, partition: 1)
        func send(_ partition: Int32, _ values: Range<Int>) async throws {
            let records = values.map { KafkaOutgoingRecord(topic: topic, partition: partition, key: nil, value: Support.bytes("v\($0)")) }
            _ = try await producer.send(batch: records).map { try $0.get() }
        }

        let records = consumer.records
        try await send(0, 0..<5)
        let warmUp = await Support.collect(records) { $0.count >= 5 }
        #expect(warmUp.count == 5)

        consumer.pause([paused])
        try await send(0, 5..<10)
        try await send(1, 10..<15)
        // Fetches for partition 1 happen after partition 0's new records were stored, so if
        // partition 0 were still fetched its records would arrive with or before these.
        let whilePaused = await Support.collect(records) { seen in seen.filter { $0.partition == 1 }.count >= 5 }
        try await send(1, 15..<20)
        let stillPaused = await Support.collect(records) { seen in seen.filter { $0.partition == 1 }.count >= 5 }
        #expect(whilePaused.filter { $0.partition == 1 }.count == 5)
        #expect(stillPaused.filter { $0.partition == 1 }.count == 5)
        #expect((whilePaused + stillPaused).allSatisfy { $0.partition == 1 })

        consumer.resume([paused])
        let afterResume = await Support.collect(records) { $0.count >= 5 }
        #expect(afterResume.map(\.partition) == [0, 0, 0, 0, 0])
        #expect(afterResume.map(\.offset) == [5, 6, 7, 8, 9])
        // Each record carries its own key and value, before, during and after the pause.
        func text(_ records: [KafkaRecord]) -> [String] { records.map { String(decoding: $0.value ?? [], as: UTF8.self) } }
        #expect(text(warmUp) == ["v0", "v1", "v2", "v3", "v4"])
        #expect(text(whilePaused + stillPaused) == (10..<20).map { "v\($0)" })
        #expect(text(afterResume) == ["v5", "v6", "v7", "v8", "v9"])
        #expect((warmUp + afterResume).allSatisfy { $0.key == nil && $0.headers.isEmpty })
        _ = running
        await consumer.close()
        await producer.close()
    }

    @Test func aPauseGivenBeforeTheAssignmentIsAppliedWhenThePartitionIsAssigned() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("pause-early")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try Support.producer(cluster)
        for partition in Int32(0)..<2 {
            let records = (0..<5).map { KafkaOutgoingRecord(topic: topic, partition: partition, key: nil, value: Support.bytes("v\($0)")) }
            _ = try await producer.send(batch: records).map { try $0.get() }
        }
        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: Support.uniqueName("g")), logger: Support.logger)
        consumer.pause([KafkaTopicPartition(topic: topic, partition: 0)])
        try consumer.subscribe(topics: [topic])
        let records = consumer.records
        let firstFive = await Support.collect(records) { $0.count >= 5 }
        // More fetches of partition 1 after partition 0's records were long available.
        let more = (5..<10).map { KafkaOutgoingRecord(topic: topic, partition: 1, key: nil, value: Support.bytes("v\($0)")) }
        _ = try await producer.send(batch: more).map { try $0.get() }
        await producer.close()
        let nextFive = await Support.collect(records) { $0.count >= 5 }
        #expect((firstFive + nextFive).map(\.partition) == Array(repeating: 1, count: 10))
        consumer.resume([KafkaTopicPartition(topic: topic, partition: 0)])
        let afterResume = await Support.collect(records) { $0.count >= 5 }
        #expect(afterResume.map(\.partition) == [0, 0, 0, 0, 0])
        #expect(afterResume.map(\.offset) == [0, 1, 2, 3, 4])
        await consumer.close()
    }

    @Test func aSmallBufferStillDeliversEveryRecordInOrder() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("backpressure")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try Support.producer(cluster)
        _ = try await Support.produce(producer, topic: topic, count: 5_000, keys: 64)
        await producer.close()
        var configuration = Support.consumerConfiguration(cluster, group: Support.uniqueName("g"))
        configuration.bufferCapacity = 10
        let consumer = try KafkaConsumer(configuration: configuration, logger: Support.logger)
        try consumer.subscribe(topics: [topic])
        var received: [KafkaRecord] = []
        for await record in consumer.records {
            received.append(record)
            if received.count % 500 == 0 { try await Task.sleep(for: .milliseconds(150)) }  // a slow consumer
            if received.count == 5_000 { break }
        }
        await consumer.close()
        #expect(received.count == 5_000)
        for partition in Int32(0)..<4 {
            let offsets = received.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == Array(0..<Int64(offsets.count)))
        }
    }

    @Test func closingAConsumerAndAProducerUnderLoadNeitherHangsNorLeaks() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("close-load")
        try cluster.createTopic(topic, partitions: 4)
        let seed = try Support.producer(cluster)
        _ = try await Support.produce(seed, topic: topic, count: 20_000, keys: 100)
        await seed.close()

        let producer = try Support.producer(cluster)
        var configuration = Support.consumerConfiguration(cluster, group: Support.uniqueName("g"))
        configuration.bufferCapacity = 500
        let consumer = try KafkaConsumer(configuration: configuration, logger: Support.logger)
        try consumer.subscribe(topics: [topic])
        let consumed = Locked(0)
        let outcomes = Locked<(ok: Int, failed: Int)>((0, 0))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await record in consumer.records {
                    try? consumer.storeOffsets([record.nextOffset])
                    consumed.withLock { $0 += 1 }
                }
            }
            group.addTask {
                while true {
                    let records = (0..<1_000).map { KafkaOutgoingRecord(topic: topic, key: Support.bytes("k\($0)"), value: Support.bytes("load")) }
                    guard let results = try? await producer.send(batch: records) else { return }
                    outcomes.withLock { outcome in
                        for result in results {
                            if case .success = result { outcome.ok += 1 } else { outcome.failed += 1 }
                        }
                    }
                }
            }
            // Close while records flow both ways.
            while consumed.value < 2_000 || outcomes.value.ok < 2_000 {
                try await Task.sleep(for: .milliseconds(20))
            }
            await consumer.close()
            await producer.close()
            try await group.waitForAll()
        }
        #expect(consumed.value >= 2_000)
        #expect(outcomes.value.ok >= 2_000)
        await #expect(throws: KafkaError.self) {
            _ = try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: nil))
        }
    }
}
