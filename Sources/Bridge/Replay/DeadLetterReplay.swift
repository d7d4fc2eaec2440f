import Kafka
import Logging

/// `kafka-api-bridge replay`: re-publishes dead letters to their source topics so the bridge
/// processes them again, with their original event id.
///
/// It reads the dead-letter topic from the position of group `<group>-replay` (its beginning on
/// the first run, or with `fromBeginning`) up to the end offsets seen when it started, and commits
/// a position only after the broker acknowledged every record re-published before it: the
/// position never passes a record that was not re-published, and a second run does not replay
/// what the first one did.
public struct DeadLetterReplay: Sendable {
    private let settings: BridgeSettings
    private let options: ReplayOptions
    private let logger: Logger
    /// Told the progress now and then: records handled so far, and the total to handle.
    private let progress: @Sendable (Int, Int) -> Void
    /// Records re-published per acknowledged batch.
    private let batchSize = 500

    public init(settings: BridgeSettings, options: ReplayOptions, logger: Logger, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.settings = settings
        self.options = options
        self.logger = logger
        self.progress = progress
    }

    /// The replay group's name.
    public var groupID: String { settings.groupID + "-replay" }

    public func run() async throws -> ReplaySummary {
        let filters = try makeFilters()
        let configuration = settings.kafkaConsumerConfiguration(groupID: groupID, required: [
            "enable.auto.commit": "false",
            "partition.assignment.strategy": KafkaConsumerConfiguration.strategyForUnsubscribedConsumers,
        ])
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let topic = settings.dlqTopic
        let partitionCount = try await consumer.partitionCount(topic: topic, timeout: .seconds(10))
        let partitions = (0..<partitionCount).map { KafkaTopicPartition(topic: topic, partition: $0) }

        // Where each partition ends now, and where this run starts.
        var ends: [Int32: Int64] = [:]
        var starts: [Int32: Int64] = [:]
        let committed = options.fromBeginning ? [] : try await consumer.committedOffsets(partitions, timeout: .seconds(10))
        for partition in partitions {
            let marks = try await consumer.queryWatermarkOffsets(partition, timeout: .seconds(10))
            ends[partition.partition] = marks.high
            let position = committed.first { $0.partition == partition.partition }?.offset ?? -1
            starts[partition.partition] = position >= marks.low ? position : marks.low
        }
        let remaining = partitions.filter { (starts[$0.partition] ?? 0) < (ends[$0.partition] ?? 0) }
        let total = remaining.reduce(0) { $0 + Int((ends[$1.partition] ?? 0) - (starts[$1.partition] ?? 0)) }
        var summary = ReplaySummary()
        guard !remaining.isEmpty else {
            await consumer.close()
            return summary
        }
        try consumer.assign(remaining.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.partition, offset: starts[$0.partition] ?? 0) })

        let producer: KafkaProducer? = options.dryRun
            ? nil : try KafkaProducer(configuration: settings.kafkaProducerConfiguration(), logger: logger)

        var open = Set(remaining.map(\.partition))
        var blocked = Set<Int32>()  // partitions with a record that could not be re-published
        var handled = 0
        var selected = 0
        var batch: [(record: KafkaRecord, outgoing: KafkaOutgoingRecord?)] = []

        func flush() async throws {
            guard !batch.isEmpty else { return }
            defer { batch.removeAll(keepingCapacity: true) }
            var positions: [Int32: Int64] = [:]
            let toSend = batch.compactMap(\.outgoing)
            var results: [Result<KafkaDeliveryReport, KafkaError>] = []
            if let producer, !toSend.isEmpty {
                do { results = try await producer.send(batch: toSend) } catch { results = toSend.map { _ in .failure(error) } }
            }
            var sent = 0
            for item in batch where !blocked.contains(item.record.partition) {
                if item.outgoing != nil {
                    let result = producer == nil ? nil : results[sent]
                    sent += 1
                    if case .failure(let error) = result {
                        summary.failedToPublish += 1
                        blocked.insert(item.record.partition)
                        logger.error("could not re-publish a dead letter; its partition's position stays before it", metadata: [
                            "partition": "\(item.record.partition)", "offset": "\(item.record.offset)", "error": "\(error)",
                        ])
                        continue
                    }
                    summary.replayed += 1
                }
                positions[item.record.partition] = item.record.offset + 1
            }
            if producer != nil, !positions.isEmpty {
                try await consumer.commit(offsets: positions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.key, offset: $0.value) })
            }
        }

        reading: for await record in consumer.records {
            guard open.contains(record.partition), let end = ends[record.partition], record.offset < end else { continue }
            handled += 1
            let decision = ReplayDecision.decide(record, filters: filters)
            let group = ReplaySummary.Group(
                sourceTopic: record.headerText(DeadLetterHeader.sourceTopic) ?? "", errorCode: record.headerText(DeadLetterHeader.errorCode) ?? "",
                status: record.headerText(DeadLetterHeader.status) ?? "")
            summary.groups[group, default: (0, 0)].read += 1
            switch decision {
            case .replay(let outgoing):
                summary.groups[group, default: (0, 0)].replay += 1
                selected += 1
                if options.dryRun { summary.replayed += 1 }
                batch.append((record, options.dryRun ? nil : outgoing))
            case .skip(let reason):
                summary.skipped[reason.rawValue, default: 0] += 1
                batch.append((record, nil))
            }
            if record.offset + 1 >= end { open.remove(record.partition) }
            let limitReached = options.limit.map { selected >= $0 } ?? false
            if batch.count >= batchSize || open.isEmpty || limitReached {
                try await flush()
                progress(handled, total)
            }
            if open.isEmpty || limitReached || !blocked.isEmpty && blocked.isSuperset(of: open) { break reading }
        }
        try await flush()
        progress(handled, total)
        if let producer { await producer.close() }
        await consumer.close()
        return summary
    }

    private func makeFilters() throws -> ReplayDecision.Filters {
        func instant(_ text: String?, _ flag: String) throws -> Timestamp? {
            guard let text else { return nil }
            guard let instant = Timestamp(rfc3339: text) else {
                throw SettingsError.invalidValue("\(flag) must be an RFC 3339 time such as 2026-11-22T10:00:00Z, not \(text)")
            }
            return instant
        }
        if let status = options.status, status != "failed", status != "rejected" {
            throw SettingsError.invalidValue("--status must be failed or rejected, not \(status)")
        }
        return ReplayDecision.Filters(
            targetTopic: options.targetTopic, errorCodes: options.errorCodes, status: options.status,
            since: try instant(options.since, "--since"), until: try instant(options.until, "--until"),
            maxReplays: options.maxReplays)
    }
}
