import CustomerAPIs
import Kafka
import Logging
import Synchronization

/// Writes the replies (and dead letters) of answered events to the broker, each event's records
/// as a group of their own, many at once: a reply partition that cannot be written (no leader,
/// say) holds up only the events whose records go to it, never the replies of other partitions
/// (docs/contract.md, "When the broker refuses a reply"). The groups of the events the queue
/// hands out together go to the producer in one hand-over (one wake-up of its thread, one burst
/// for librdkafka); each event then awaits its own group.
///
/// Produce errors are told apart:
/// - the record's own (its size: `MSG_SIZE_TOO_LARGE`, `RECORD_LIST_TOO_LARGE`): a dead letter is
///   written again at once without its value (`dlq.value.omitted`), since the same record can
///   never pass;
/// - the path's (anything else): the same records are sent again after a backoff, without end,
///   until they pass or their event stops counting (its partition was revoked, or the stop gave
///   up on it). Meanwhile `/readyz` says why the bridge is not ready.
struct ReplyWriter: Sendable {
    private let producer: KafkaProducer
    private let queue: ReplyQueue
    private let messages: BridgeMessages
    private let problems: WriteProblems
    private let logger: Logger

    /// How long a hand-over waits at most for the broker's first answers to the previous one.
    private let handOverWait: Duration

    init(
        producer: KafkaProducer, queue: ReplyQueue, messages: BridgeMessages, readiness: Readiness, logger: Logger,
        handOverWait: Duration = .milliseconds(10)
    ) {
        self.producer = producer
        self.handOverWait = handOverWait
        self.queue = queue
        self.messages = messages
        self.problems = WriteProblems(readiness: readiness)
        self.logger = logger
    }

    /// Writes every answered event the queue hands out until it is finished and every write has
    /// ended. `isCurrent` says whether an event still counts; `done` is told the events' ends,
    /// several at once when they came together: `true` once the broker acknowledged all of an
    /// event's records, `false` when it was given up.
    ///
    /// One task per hand-over collects its events' first results as they come
    /// (``ReplyHandOverResults``); only an event whose records failed gets a task of its own, to
    /// try again. A hand-over waits until every event of the previous one had the broker's first
    /// answer, or `handOverWait` passed (``ReplyHandOverPacing``): what is answered meanwhile goes
    /// over with it.
    func run(isCurrent: @escaping @Sendable (PendingEvent) -> Bool, done: @escaping @Sendable ([(AnsweredEvent, Bool)]) -> Void) async {
        let gate = ReplyHandOverGate()
        let limit = handOverWait
        await withDiscardingTaskGroup { group in
            while true {
                let batch = await queue.next()
                if batch.isEmpty { return }
                let tickets = producer.enqueue(groups: batch.map(\.records))
                let handOver = gate.handedOver(count: batch.count)
                group.addTask {
                    await self.collect(batch, tickets, isCurrent: isCurrent, done: done) { gate.answered(handOver: handOver, count: $0) }
                }
                await gate.waitToHandOver {
                    group.addTask {
                        try? await Task.sleep(for: limit)
                        gate.limitPassed(handOver: handOver)
                    }
                }
            }
        }
    }

    /// Ends the events of one hand-over as their first results come: written, or handed to a task
    /// that writes them again.
    private func collect(
        _ batch: [AnsweredEvent], _ tickets: [KafkaProducer.GroupTicket],
        isCurrent: @escaping @Sendable (PendingEvent) -> Bool, done: @escaping @Sendable ([(AnsweredEvent, Bool)]) -> Void,
        answered: @escaping @Sendable (_ count: Int) -> Void
    ) async {
        let inbox = ReplyHandOverResults()
        for (index, ticket) in tickets.enumerated() {
            producer.whenResults(of: ticket) { inbox.deliver(event: index, $0) }
        }
        await withDiscardingTaskGroup { retries in
            var left = batch.count
            while left > 0 {
                var written: [(AnsweredEvent, Bool)] = []
                let arrived = await inbox.next()
                left -= arrived.count
                answered(arrived.count)
                for (index, results) in arrived {
                    let event = batch[index]
                    if results.allSatisfy({ if case .success = $0 { true } else { false } }) {
                        written.append((event, true))
                    } else {
                        retries.addTask { done([(event, await self.write(event, firstResults: results, isCurrent: isCurrent))]) }
                    }
                }
                if !written.isEmpty { done(written) }
            }
        }
    }

    /// Sends an event's records until the broker acknowledged all of them; `false` when the event
    /// stopped counting first, or the producer closed. `firstResults` are those of an attempt made
    /// already, when there was one.
    func write(
        _ answered: AnsweredEvent, firstResults: [Result<KafkaDeliveryReport, KafkaError>]? = nil,
        isCurrent: @Sendable (PendingEvent) -> Bool
    ) async -> Bool {
        var outgoing = answered.records
        var backoff = ReplyBackoff()
        var reported = false
        var earlier = firstResults
        defer { if reported { problems.ended() } }
        while true {
            let results: [Result<KafkaDeliveryReport, KafkaError>]
            if let made = earlier {
                earlier = nil
                results = made
            } else {
                results = await send(outgoing)
            }
            var again: [KafkaOutgoingRecord] = []
            var pathError: (topic: String, error: KafkaError)?
            for (record, result) in zip(outgoing, results) {
                guard case .failure(let error) = result else { continue }
                if error.isClosed { return false }
                if error.isRecordTooLarge, let omitted = messages.omittingValue(of: record) {
                    logger.warning(
                        "dead letter too large for the broker; writing it without its value",
                        metadata: metadata(answered, ["bytes": "\(record.value?.count ?? 0)", "error": "\(error)"]))
                    again.append(omitted)
                } else {
                    pathError = (record.topic, error)
                    again.append(record)
                }
            }
            if again.isEmpty { return true }
            outgoing = again
            guard let failure = pathError else { continue }
            // The path's failure: wait, and send the same records again.
            if !reported {
                reported = true
                problems.began()
            }
            problems.update(topic: failure.topic, error: failure.error)
            logger.warning("writing to \(failure.topic) failed; retrying", metadata: metadata(answered, ["error": "\(failure.error)"]))
            guard isCurrent(answered.pending) else { return false }
            try? await Task.sleep(for: backoff.nextDelay())
            guard isCurrent(answered.pending) else { return false }
        }
    }

    /// One result per record: the broker's acknowledgement or why it failed.
    private func send(_ records: [KafkaOutgoingRecord]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        do throws(KafkaError) {
            return try await producer.send(batch: records)
        } catch {
            return records.map { _ in .failure(error) }
        }
    }

    private func metadata(_ answered: AnsweredEvent, _ extra: Logger.Metadata) -> Logger.Metadata {
        let record = answered.pending.record
        return extra.merging([
            "event-id": "\(answered.event.eventID)", "topic": "\(record.topic)",
            "partition": "\(record.partition)", "offset": "\(record.offset)",
        ]) { $1 }
    }
}

/// How many events' records the broker refuses for a reason of the path now, and the latest
/// such error, told to `/readyz` while there are any.
final class WriteProblems: Sendable {
    private struct State {
        var failing = 0
        var latest = ""
    }

    private let state = Mutex(State())
    private let readiness: Readiness

    init(readiness: Readiness) {
        self.readiness = readiness
    }

    /// An event's records started failing.
    func began() {
        state.withLock { $0.failing += 1 }
    }

    /// The latest failure of a failing event's records.
    func update(topic: String, error: KafkaError) {
        // Readiness is told under this lock, so that its reason follows the count's changes in order.
        state.withLock { state in
            state.latest = "writing to \(topic) fails (\(error.code): \(error.message))"
            readiness.setWriteProblem("\(state.latest); \(state.failing) events wait")
        }
    }

    /// A failing event's records were written or given up.
    func ended() {
        state.withLock { state in
            state.failing -= 1
            if state.failing == 0 { readiness.setWriteProblem(nil) }
        }
    }
}
