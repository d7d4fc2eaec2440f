/// The records of a `KafkaConsumer`, as an `AsyncSequence` with backpressure: when the consumer's
/// buffer holds `bufferCapacity` records, fetching stops until the iterator catches up.
///
/// The sequence ends only after `KafkaConsumer.close()` (or when the iterating task is cancelled).
/// Iterate from one task at a time. An iterator takes a whole poll batch at once, so records
/// already in its current batch are still delivered by it after a `pause`; after a revoke it hands
/// out no further record of the revoked partitions (a record handed out just before the revoke can
/// still be in the caller's hands). Records it took but did not hand out when it is dropped (e.g.
/// after `break`) go back to the buffer first.
public struct KafkaConsumerRecords: AsyncSequence, Sendable {
    /// Each element is one record; null keys and values are `nil`, never a failure.
    public typealias Element = KafkaRecord

    let buffer: RecordBuffer

    /// Creates the iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(buffer: buffer)
    }

    /// Hands out records of one batch at a time without locking per record.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let cursor: RecordCursor

        init(buffer: RecordBuffer) {
            cursor = RecordCursor(buffer: buffer)
        }

        /// The next record, or `nil` once the consumer is closed.
        public mutating func next() async -> KafkaRecord? {
            if let record = cursor.nextBuffered() { return record }
            return await cursor.refill(isolation: nil)
        }

        /// The next record, or `nil` once the consumer is closed. Records of the current batch are
        /// returned without suspending; only taking the next batch suspends.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> KafkaRecord? {
            if let record = cursor.nextBuffered() { return record }
            return await cursor.refill(isolation: actor)
        }
    }
}

/// An iterator's current batch; returns what it did not hand out to the buffer when dropped.
final class RecordCursor {
    private let buffer: RecordBuffer
    private var batch: [KafkaRecord] = []
    private var index = 0
    /// The buffer's revocation count when the batch was taken: the batch holds no record of a
    /// partition revoked up to then.
    private var revocations = 0

    init(buffer: RecordBuffer) {
        self.buffer = buffer
    }

    deinit {
        dropRevoked()
        if index < batch.count {
            buffer.putBack(Array(batch[index...]))
        }
    }

    /// The next record of the current batch, if any is left. The record is moved out of the
    /// batch (swapped with an empty one), so handing it out costs no reference counting.
    func nextBuffered() -> KafkaRecord? {
        guard index < batch.count else { return nil }
        if buffer.revocations != revocations {
            dropRevoked()
            guard index < batch.count else { return nil }
        }
        var record = KafkaRecord(topic: "", partition: 0, offset: 0, key: nil, value: nil)
        swap(&record, &batch[index])
        index += 1
        return record
    }

    /// Removes the records of partitions revoked since the batch was taken from what is left of it:
    /// their next owner reads them again.
    private func dropRevoked() {
        let (revoked, count) = buffer.revoked(since: revocations)
        revocations = count
        guard !revoked.isEmpty, index < batch.count else { return }
        batch = batch[index...].filter { !revoked.contains($0.topicPartition) }
        index = 0
    }

    /// Takes the next batch and returns its first record, or `nil` once the consumer is closed.
    func refill(isolation actor: isolated (any Actor)?) async -> KafkaRecord? {
        while true {
            batch = []
            index = 0
            // The revokes to judge the batch by are those the buffer had seen when it handed the
            // batch out, not those before the wait: a partition revoked during the wait and
            // assigned back has records of its new assignment in the batch.
            guard let next = await buffer.takeBatch(), !next.records.isEmpty else { return nil }
            batch = next.records
            revocations = next.revocations
            // Nil only when a revoke since the take emptied the batch: take the next one.
            if let record = nextBuffered() { return record }
        }
    }
}
