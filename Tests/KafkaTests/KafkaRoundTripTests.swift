import Kafka
import Testing

/// Produce and consume against librdkafka's in-process mock cluster.
@Suite struct KafkaRoundTripTests {
    typealias Support = KafkaTestSupport

    /// Keys and values are read into blocks shared by neighbouring records of a partition (at
    /// most `RDKafkaRecordReader.blockBytes`, a larger record alone): every record must still see
    /// exactly its own bytes, across block edges, partitions, empty and null keys and values.
    @Test func recordsSharingReadBlocksEachKeepTheirOwnBytes() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("blocks")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try Support.producer(cluster)
        let sizes = [0, 1, 300, 16_000, 16_500, 40_000, 7, 32 * 1024, 2, 100_000, 0, 31_000, 3]
        func value(_ index: Int) -> [UInt8]? {
            index % 5 == 4 ? nil : (0..<sizes[index % sizes.count]).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
        }
        func key(_ index: Int) -> [UInt8]? {
            index % 7 == 6 ? nil : Support.bytes(String(repeating: "k", count: index % 3) + "\(index)")
        }
        let count = 3 * sizes.count
        let outgoing = (0..<count).map { index in
            KafkaOutgoingRecord(topic: topic, partition: Int32(index % 2), key: key(index), value: value(index),
                                headers: [KafkaHeader(name: "index", value: Support.bytes("\(index)"))])
        }
        _ = try await producer.send(batch: outgoing).map { try $0.get() }
        await producer.close()

        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: Support.uniqueName("g")), logger: Support.logger)
        try consumer.subscribe(topics: [topic])
        let received = await Support.collect(consumer.records) { $0.count >= count }
        await consumer.close()
        #expect(received.count == count)
        for record in received {
            let index = try #require(record.headerText("index").flatMap { Int($0) })
            #expect(record.key.map(Array.init) == key(index), "key of record \(index)")
            #expect(record.value.map(Array.init) == value(index), "value of record \(index)")
        }
    }

    @Test func keyedRoundTripWithHeadersOverFourPartitions() async throws {
        let cluster = try KafkaMockCluster(brokers: 3, logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("round-trip")
        try await KafkaAdmin.createTopic(bootstrapServers: cluster.bootstrapServers, name: topic, partitions: 4, properties: [:])

        let producer = try Support.producer(cluster)
        var outgoing = (0..<40).map { index in
            KafkaOutgoingRecord(
                topic: topic, key: Support.bytes("key-\(index % 8)"), value: Support.bytes("value-\(index)"),
                headers: [KafkaHeader(name: "index", value: Support.bytes("\(index)")), KafkaHeader(name: "null", value: nil)],
                timestamp: 1_700_000_000_000 + Int64(index)
            )
        }
        outgoing.append(KafkaOutgoingRecord(topic: topic, key: Support.bytes("tombstone"), value: nil))
        outgoing.append(KafkaOutgoingRecord(topic: topic, key: nil, value: Support.bytes("no-key")))
        outgoing.append(KafkaOutgoingRecord(topic: topic, key: Support.bytes("empty"), value: []))
        let reports = try await producer.send(batch: outgoing).map { try $0.get() }
        #expect(Set(reports.map(\.partition)).count == 4)
        await producer.close()

        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: Support.uniqueName("g")), logger: Support.logger)
        try consumer.subscribe(topics: [topic])
        let expectedCount = outgoing.count
        let received = await Support.collect(consumer.records) { $0.count >= expectedCount }
        await consumer.close()

        #expect(received.count == outgoing.count)
        var partitionOfKey: [[UInt8]: Int32] = [:]
        for record in received {
            guard let key = record.key.map(Array.init), key.starts(with: Support.bytes("key-")) else { continue }
            if let earlier = partitionOfKey[key] { #expect(earlier == record.partition) }
            partitionOfKey[key] = record.partition
            let index = String(decoding: record.value ?? [], as: UTF8.self).dropFirst("value-".count)
            #expect(record.headers == [KafkaHeader(name: "index", value: Support.bytes(String(index))), KafkaHeader(name: "null", value: nil)])
            #expect(record.timestamp == .createTime(milliseconds: 1_700_000_000_000 + (Int64(index) ?? -1)))
            let report = reports[Int(index) ?? 0]
            #expect(report.partition == record.partition && report.offset == record.offset)
        }
        #expect(partitionOfKey.count == 8)
        #expect(Set(received.map(\.partition)).count == 4)
        let tombstone = received.first { $0.key.map(Array.init) == Support.bytes("tombstone") }
        #expect(tombstone != nil && tombstone?.value == nil)
        let noKey = received.first { $0.value.map(Array.init) == Support.bytes("no-key") }
        #expect(noKey != nil && noKey?.key == nil)
        #expect(received.first { $0.key.map(Array.init) == Support.bytes("empty") }?.value?.isEmpty == true)
    }

    @Test func sendWhileTheOnlyBrokerIsDownFailsWithinTheTimeoutAndSucceedsAfterItIsBack() async throws {
        let cluster = try KafkaMockCluster(brokers: 1, logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("broker-down")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster, messageTimeout: .seconds(2), properties: ["reconnect.backoff.max.ms": "500"])
        _ = try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: Support.bytes("before")))

        cluster.setBrokerDown(1)
        let clock = ContinuousClock()
        let start = clock.now
        var failure: KafkaError?
        do {
            _ = try await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: Support.bytes("while down")))
        } catch {
            failure = error
        }
        let waited = clock.now - start
        #expect(failure?.code == "_MSG_TIMED_OUT")
        #expect(waited < .seconds(20), "librdkafka's default message timeout is 300 s")

        cluster.setBrokerUp(1)
        // librdkafka reconnects with backoff; a send may time out until it has, then succeeds.
        var report: KafkaDeliveryReport?
        let deadline = clock.now + .seconds(30)
        while report == nil && clock.now < deadline {
            report = try? await producer.send(KafkaOutgoingRecord(topic: topic, key: nil, value: Support.bytes("after")))
        }
        #expect(report?.partition == 0)
        #expect((report?.offset ?? -1) >= 1)
        await producer.close()
    }

    @Test func sendAfterCloseThrowsClosed() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let producer = try Support.producer(cluster)
        await producer.close()
        await producer.close()
        await #expect(throws: KafkaError.self) {
            _ = try await producer.send(KafkaOutgoingRecord(topic: "t", key: nil, value: nil))
        }
    }
}
