import CRdKafka

/// Where a consumer's message batches go once no record refers to them: the poll thread destroys
/// their messages (`destroyReleased`), as the thread that polled them, and waits for the last
/// ones before it destroys the handle (librdkafka messages must not outlive their handle).
final class RDKafkaMessageDisposal: Sendable {
    /// The messages of a batch nobody refers to any more, with their pointer array.
    ///
    /// Safety of `@unchecked Sendable`: made in a batch's `deinit`, when no other thread can reach
    /// the messages, and then used only by the poll thread, which destroys and frees them.
    struct Released: @unchecked Sendable {
        let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>>
        let count: Int
    }

    private struct State {
        var released: [Released] = []
        /// Batches made and not yet destroyed.
        var live = 0
    }

    private let state = PThreadLock(State())

    /// A batch was made (poll thread).
    func opened() {
        state.withLock { $0.live += 1 }
    }

    /// A batch's messages are no longer referred to (any thread).
    func release(_ batch: Released) {
        state.withLock { $0.released.append(batch) }
    }

    /// Destroys the messages of released batches (poll thread). Returns how many batches are
    /// still alive.
    @discardableResult
    func destroyReleased() -> Int {
        let released = state.withLock { state in
            let released = state.released
            state.released.removeAll()
            return released
        }
        for batch in released {
            for index in 0..<batch.count {
                rd_kafka_message_destroy(batch.messages[index])
            }
            batch.messages.deallocate()
        }
        return state.withLock { state in
            state.live -= released.count
            return state.live
        }
    }
}
