import CRdKafka
import Logging
import Synchronization

/// What a producer's public API, its delivery thread and its close thread share.
///
/// Two locks: `gate` is held by senders while they hand records to librdkafka (in short
/// chunks) and by the close thread to stop them; `state` is the senders' and the delivery
/// thread's shared bookkeeping. The delivery thread never waits for a sender's produce calls.
final class ProducerCore: Sendable {
    struct State {
        /// False once closing started: no send starts after that.
        var isOpen = true
        var tracker = DeliveryTracker()
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// What senders need to call `rd_kafka_produceva` safely.
    struct Gate {
        /// False once closing started: no produce call starts after that.
        var isOpen = true
        var topics: [String: RDKafkaPointer] = [:]
    }

    let handle: RDKafkaPointer
    let mainQueue: RDKafkaPointer
    let context: RDKafkaClientContext
    let state = PThreadLock(State())
    let gate = PThreadLock(Gate())
    let stopDeliveryLoop = Atomic<Bool>(false)
    let closeStarted = Atomic<Bool>(false)
    let closed = AsyncLatch()
    let worker = BlockingWorker(name: "kafka-flush")
    let logger: Logger
    let closeTimeout: Duration

    init(handle: OpaquePointer, context: RDKafkaClientContext, logger: Logger, closeTimeout: Duration) {
        self.handle = RDKafkaPointer(raw: handle)
        self.mainQueue = RDKafkaPointer(raw: rd_kafka_queue_get_main(handle)!)
        self.context = context
        self.logger = logger
        self.closeTimeout = closeTimeout
    }

    /// The topic handle for `name`, created on first use (call with the gate locked).
    static func topic(_ name: String, rk: OpaquePointer, in gate: inout Gate) -> OpaquePointer? {
        if let topic = gate.topics[name] { return topic.raw }
        guard let topic = rd_kafka_topic_new(rk, name, nil) else { return nil }
        gate.topics[name] = RDKafkaPointer(raw: topic)
        return topic
    }

    /// Resumes senders waiting for room in librdkafka's queue.
    func wakeSpaceWaiters() {
        let waiters = state.withLock { state in
            let waiters = state.spaceWaiters
            if !waiters.isEmpty { state.spaceWaiters.removeAll() }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until the delivery thread has made room (or a poll interval passed, or closing started).
    func waitForSpace() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if state.isOpen { state.spaceWaiters.append(continuation) }
                return state.isOpen
            }
            if !isOpen { continuation.resume() }
        }
    }
}
