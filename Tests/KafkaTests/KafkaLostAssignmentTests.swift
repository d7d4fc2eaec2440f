@testable import Kafka
import Synchronization
import Testing
import TestSupport

/// A group session that expires while the broker is away: the consumer loses its partitions
/// (librdkafka revokes them with `rd_kafka_assignment_lost()` true), must abandon them without
/// committing, rejoin once the broker is back, and deliver records again.
@Suite struct KafkaLostAssignmentTests {
    typealias Support = KafkaTestSupport

    /// The broker goes down while fetching is paused for backpressure (nobody reads the records),
    /// stays down longer than `session.timeout.ms`, and comes back. librdkafka 2.0.2 keeps a
    /// partition's application pause across unassign and assign, so a consumer that released its
    /// backpressure pause only on its (then empty) assignment got its partitions back paused and
    /// delivered nothing more.
    @Test func aConsumerWhoseSessionExpiredRejoinsAndDeliversAgain() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("lost")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try Support.producer(cluster)
        let produced = try await Support.produce(producer, topic: topic, count: 200)
        await producer.close()

        var configuration = Support.consumerConfiguration(cluster, group: Support.uniqueName("g"))
        configuration.sessionTimeout = .seconds(3)
        configuration.bufferCapacity = 10
        configuration.properties = ["heartbeat.interval.ms": "300", "reconnect.backoff.max.ms": "200"]
        let events = Locked<[KafkaRebalanceEvent]>([])
        let revokesLost = Locked<[Bool]>([])
        let holder = Locked<KafkaConsumer?>(nil)
        let consumer = try KafkaConsumer(configuration: configuration, logger: Support.logger) { event in
            events.withLock { $0.append(event) }
            if case .revoked = event, let consumer = holder.withLock({ $0 }) {
                revokesLost.withLock { $0.append(consumer.assignmentLost) }
            }
        }
        holder.withLock { $0 = consumer }
        try consumer.subscribe(topics: [topic])
        let records = consumer.records

        let before = await Support.collect(records) { $0.count >= 5 }
        #expect(before.count == 5)
        // Nobody reads now: the 10-record buffer fills and the poll thread pauses fetching.
        let paused = await eventually(within: .seconds(10)) { consumer.core.state.withLock { $0.pausedForBackpressure } }
        #expect(paused, "fetching was never paused for backpressure")

        cluster.setBrokerDown(1)
        let lost = await eventually(within: .seconds(30)) { !revokesLost.value.isEmpty }
        cluster.setBrokerUp(1)
        #expect(lost, "the session never expired: \(events.value)")
        #expect(revokesLost.value.first == true, "the revoke after the session expired was not marked lost")

        // Nothing was committed, so the group reads every record again from the start.
        let after = await Support.collect(records, timeout: .seconds(60)) { seen in
            Set(seen.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset) }).count >= produced.count
        }
        let distinct = Set(after.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset) })
        #expect(distinct.count == produced.count, "after the rejoin only \(distinct.count) of \(produced.count) records arrived; events: \(events.value)")
        #expect(consumer.assignment().count == 2)
        await consumer.close()
        holder.withLock { $0 = nil }
    }

    /// An iterator takes a whole batch at once; a revoke after that must still keep the revoked
    /// partitions' records from being handed out (the pipeline could otherwise admit them under a
    /// later assignment of the same partitions), and a batch it empties must not end the sequence.
    @Test func anIteratorHandsOutNoRecordOfAPartitionRevokedAfterItTookItsBatch() async {
        func record(_ partition: Int32, _ offset: Int64) -> KafkaRecord {
            KafkaRecord(topic: "t", partition: partition, offset: offset, key: nil, value: nil)
        }
        let buffer = RecordBuffer(capacity: 100)
        buffer.append([record(0, 1), record(1, 1), record(0, 2), record(1, 2), record(0, 3)])
        var iterator = KafkaConsumerRecords(buffer: buffer).makeAsyncIterator()
        var seen: [KafkaRecord] = []
        if let first = await iterator.next() { seen.append(first) }
        buffer.drop([KafkaTopicPartition(topic: "t", partition: 0)])
        for _ in 0..<2 {
            if let next = await iterator.next() { seen.append(next) }
        }
        // Only partition 0's records are left in the batch: the revoke empties it, and the
        // iterator waits for the next batch instead of ending.
        buffer.drop([KafkaTopicPartition(topic: "t", partition: 1)])
        buffer.append([record(2, 7)])
        if let next = await iterator.next() { seen.append(next) }
        #expect(seen.map { "\($0.partition)/\($0.offset)" } == ["0/1", "1/1", "1/2", "2/7"])
    }

    /// An iterator waits for its next batch while a partition is revoked and then assigned back
    /// (resilience scenarios 2 and 7b): the records of the new assignment, appended after the
    /// revoke, must reach it. The iterator may judge a batch only by the revokes that came before
    /// the batch was handed to it, not by those during its wait.
    @Test func anIteratorWaitingAcrossARevokeDeliversTheRecordsOfTheNextAssignment() async {
        let partition = KafkaTopicPartition(topic: "t", partition: 0)
        let buffer = RecordBuffer(capacity: 100)
        buffer.append([KafkaRecord(topic: "t", partition: 0, offset: 1, key: nil, value: nil)])
        let records = KafkaConsumerRecords(buffer: buffer)
        let seen = Mutex<[Int64]>([])
        let reader = Task {
            for await record in records {
                seen.withLock { $0.append(record.offset) }
                if record.offset == 9 { break }
            }
        }
        // The reader took offset 1 and waits for the next batch; the partition is revoked,
        // assigned back, and its next records arrive.
        let waiting = await eventually(within: .seconds(10)) { buffer.waitingIterators == 1 }
        buffer.drop([partition])
        buffer.append([8, 9].map { KafkaRecord(topic: "t", partition: 0, offset: $0, key: nil, value: nil) })
        _ = await eventually(within: .seconds(5)) { seen.withLock { $0.last == 9 } }
        buffer.finish()
        await reader.value
        let offsets = seen.withLock { $0 }
        #expect(waiting, "the reader never waited for a batch")
        #expect(offsets == [1, 8, 9], "records of the next assignment were dropped: \(offsets)")
    }
}
