import Kafka
import Synchronization
import Testing
import TestSupport

/// Pauses and resumes that race the poll thread, and pause state across a revoke (docs/contract.md,
/// "Pauses"). librdkafka 2.0.2's batch consume is not safe
/// against a pause from another thread: the batch call has already advanced the application
/// position for the records it collected, the pause saves that position as the resume point,
/// and its barrier makes the same batch call drop those records (v2.0.0 CHANGELOG, "Known Issues").
@Suite struct KafkaPauseRaceTests {
    typealias Support = KafkaTestSupport

    /// What one partition delivered: the offsets seen, and any skip (an offset beyond the highest
    /// seen + 1: the records in between never arrived before it).
    struct PartitionLedger {
        var seen = Set<Int64>()
        var highest: Int64 = -1
        var skips: [(after: Int64, got: Int64)] = []

        mutating func record(_ offset: Int64) {
            if offset > highest + 1 { skips.append((highest, offset)) }
            highest = max(highest, offset)
            seen.insert(offset)
        }
    }

    @Test func pausesAndResumesFromOtherThreadsLoseNoRecord() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("pause-race")
        let partitions: Int32 = 16
        let perPartition = 12_500
        try cluster.createTopic(topic, partitions: partitions)
        let producer = try Support.producer(cluster)
        for start in stride(from: 0, to: perPartition, by: 2_500) {
            let records = (Int32(0)..<partitions).flatMap { partition in
                (start..<(start + 2_500)).map { index in
                    KafkaOutgoingRecord(topic: topic, partition: partition, key: nil, value: Support.bytes("p\(partition)-\(index)"))
                }
            }
            _ = try await producer.send(batch: records).map { try $0.get() }
        }
        await producer.close()
        let total = Int(partitions) * perPartition

        let consumer = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: Support.uniqueName("g")), logger: Support.logger)
        try consumer.subscribe(topics: [topic])
        let pausesDone = Counter()
        let delivered = Counter()

        enum Ending: Sendable { case paused, drained([Int32: PartitionLedger]), timedOut }
        let ledgers = await withTaskGroup(of: Ending.self) { group in
            // Two other threads pause and resume random partitions, 1,000 times in all, while the
            // backlog drains; each pause is undone, so everything must arrive in the end.
            for _ in 0..<2 {
                group.addTask {
                    await Task.detached {
                        var generator = SystemRandomNumberGenerator()
                        // Start once records flow, so the pauses meet a busy poll thread.
                        while delivered.value < 1_000 { try? await Task.sleep(for: .milliseconds(1)) }
                        for _ in 0..<500 {
                            let partition = KafkaTopicPartition(topic: topic, partition: Int32.random(in: 0..<partitions, using: &generator))
                            consumer.pause([partition])
                            try? await Task.sleep(for: .microseconds(Int.random(in: 0...300, using: &generator)))
                            consumer.resume([partition])
                            pausesDone.increment()
                            try? await Task.sleep(for: .microseconds(Int.random(in: 0...200, using: &generator)))
                        }
                    }.value
                    return .paused
                }
            }
            // The consumer: it ends when every record arrived, or when cancelled at the time-out.
            group.addTask {
                var ledgers: [Int32: PartitionLedger] = [:]
                var toStore: [Int32: KafkaTopicPartitionOffset] = [:]
                var distinct = 0
                for await record in consumer.records {
                    let before = ledgers[record.partition]?.seen.count ?? 0
                    ledgers[record.partition, default: PartitionLedger()].record(record.offset)
                    if (ledgers[record.partition]?.seen.count ?? 0) > before { distinct += 1 }
                    delivered.increment()
                    // Store as the pipeline does, the next offset after handled records, in batches
                    // so that the consumer keeps up with the fetcher and the poll thread stays busy.
                    toStore[record.partition] = record.nextOffset
                    if delivered.value % 1_000 == 0 {
                        try? consumer.storeOffsets(Array(toStore.values))
                        toStore = [:]
                    }
                    if distinct == total { break }
                }
                try? consumer.storeOffsets(Array(toStore.values))
                return .drained(ledgers)
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(120))
                return .timedOut
            }
            var result: [Int32: PartitionLedger] = [:]
            var pausers = 2
            var drained = false
            while let ending = await group.next() {
                switch ending {
                case .paused: pausers -= 1
                case .drained(let ledgers): result = ledgers; drained = true
                case .timedOut: group.cancelAll()
                }
                if drained && pausers == 0 { break }
            }
            group.cancelAll()
            return result
        }
        try await consumer.commit()
        let committed = try await consumer.committedOffsets(
            (Int32(0)..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0) }, timeout: .seconds(10))
        await consumer.close()

        let skips = ledgers.flatMap { partition, ledger in ledger.skips.map { "\(partition): after \($0.after) came \($0.got)" } }
        let missing = (Int32(0)..<partitions).map { partition in perPartition - (ledgers[partition]?.seen.count ?? 0) }
        #expect(pausesDone.value == 1_000)
        #expect(skips.isEmpty, "records skipped (never delivered before a later one): \(skips.prefix(10))")
        #expect(missing.allSatisfy { $0 == 0 }, "records never delivered per partition: \(missing)")
        // The stored (and committed) offsets never pass a record that was not delivered.
        for offset in committed {
            let ledger = ledgers[offset.partition] ?? PartitionLedger()
            let contiguous = Int64((0...).first { !ledger.seen.contains(Int64($0)) } ?? 0)
            #expect(offset.offset <= contiguous, "partition \(offset.partition) committed \(offset.offset) past undelivered \(contiguous)")
        }
    }

    /// A partition revoked while the application had it paused (and paused again during its
    /// revoke), then assigned back, is fetched again: the revoke ends the pause (the assign handler
    /// pauses again whatever must stay paused).
    @Test func aPartitionRevokedWhilePausedIsFetchedWhenAssignedBack() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("revoke-paused")
        try cluster.createTopic(topic, partitions: 2)
        let group = Support.uniqueName("g")
        // The handler pauses the revoked partitions again while their revoke is under way, as a
        // caller whose view of the assignment lags would: that pause belongs to the assignment that
        // is ending and must not outlive it.
        let holder = Locked<KafkaConsumer?>(nil)
        let first = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger) { event in
            if case .revoked(let partitions) = event { holder.value?.pause(partitions) }
        }
        holder.withLock { $0 = first }
        try first.subscribe(topics: [topic])
        let both = [KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)]
        #expect(await eventually(within: .seconds(20), every: .milliseconds(50)) { first.assignment() == both }, "the first member never got both partitions")
        first.pause(both)

        // A second member takes one partition away from the first and gives it back when it leaves.
        let second = try KafkaConsumer(configuration: Support.consumerConfiguration(cluster, group: group), logger: Support.logger)
        try second.subscribe(topics: [topic])
        #expect(await eventually(within: .seconds(30), every: .milliseconds(50)) { first.assignment().count == 1 && second.assignment().count == 1 })
        let moved = both.first { !first.assignment().contains($0) }
        await second.close()
        #expect(await eventually(within: .seconds(30), every: .milliseconds(50)) { first.assignment() == both }, "the partition never came back")
        let (movedPartition, stayedPaused) = (try #require(moved), try #require(both.first { $0 != moved }))

        let producer = try Support.producer(cluster)
        for partition in both {
            let records = (0..<5).map { KafkaOutgoingRecord(topic: topic, partition: partition.partition, key: nil, value: Support.bytes("v\($0)")) }
            _ = try await producer.send(batch: records).map { try $0.get() }
        }
        await producer.close()
        let received = await Support.collect(first.records, timeout: .seconds(15)) { $0.count >= 5 }
        #expect(received.map(\.partition) == Array(repeating: movedPartition.partition, count: 5), "the partition revoked while paused was not fetched again")
        // The partition that stayed assigned stays paused: nothing of it arrives.
        let more = await Support.collect(first.records, timeout: .seconds(2)) { _ in false }
        #expect(more.allSatisfy { $0.partition != stayedPaused.partition })
        holder.withLock { $0 = nil }
        await first.close()
    }

    /// A count shared by tasks.
    final class Counter: Sendable {
        private let storage = Atomic<Int>(0)
        var value: Int { storage.load(ordering: .relaxed) }
        func increment() { storage.add(1, ordering: .relaxed) }
    }
}
