import CRdKafka

/// The librdkafka messages of one poll whose keys, values and headers are not copied yet.
///
/// The poll thread only moves message pointers into a batch; the record iterator that takes the
/// records copies their bytes (`RDKafkaRecordReader.readPayload`) on its own thread, which also
/// frees those copies. When the last record referring to the batch is read or dropped, its
/// messages go back to the poll thread (`RDKafkaMessageDisposal`), which destroys them.
///
/// Why: librdkafka allocates every message on its broker thread, and `rd_kafka_message_headers`
/// allocates a parse buffer for every message, headers or not. Allocating the copies on one thread
/// and freeing them on another made those threads take each other's malloc arena lock record by
/// record, and the consumer ran at a third of its speed whenever they collided.
///
/// Safety of `@unchecked Sendable`: the pointers are set on the poll thread before the batch is
/// shared and never change; a message is read only through the one record that refers to it, by
/// the one iterator that took that record (records are moved between the buffer and iterators,
/// never handed to two), so no two threads touch a message at once. `deinit` runs when no record
/// refers to the batch any more, so nothing reads a message after it is handed for destruction.
final class RDKafkaMessageBatch: @unchecked Sendable {
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>>
    private var count = 0
    private let capacity: Int
    private let disposal: RDKafkaMessageDisposal

    init(capacity: Int, disposal: RDKafkaMessageDisposal) {
        self.capacity = capacity
        self.messages = .allocate(capacity: capacity)
        self.disposal = disposal
        disposal.opened()
    }

    deinit {
        disposal.release(RDKafkaMessageDisposal.Released(messages: messages, count: count))
    }

    /// Takes ownership of `message` (poll thread, before the batch is shared); returns its index.
    func append(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> Int {
        precondition(count < capacity, "more messages than the batch was made for")
        messages[count] = message
        count += 1
        return count - 1
    }

    /// The message at `index`, alive as long as the batch is.
    func message(at index: Int) -> UnsafeMutablePointer<rd_kafka_message_t> {
        messages[index]
    }
}

/// A record's message in a batch whose key, value and headers are still to be copied.
struct RDKafkaUnreadMessage: Sendable {
    let batch: RDKafkaMessageBatch
    let index: Int
}
