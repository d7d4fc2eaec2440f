import CRdKafka
import Logging

/// The consumer's poll thread: polls librdkafka in batches into the record buffer, serves the
/// rebalance callback, applies backpressure, and finally closes and destroys the handle.
/// Everything here runs on that one thread.
final class ConsumerPollLoop {
    private static let batchSize = 4096
    private static let pollMilliseconds: Int32 = 100
    /// How long a full buffer may stay full before fetching is paused; rebalance callbacks wait
    /// meanwhile. Pausing is dear: librdkafka 2.0.2 drops a paused partition's prefetched records
    /// and fetches them again from the application's position after the resume, and the consumer
    /// gets nothing in between. With 100 ms the bridge paused about once a second at full load;
    /// `bench pipeline` (0 ms APIs), A/B: 11,227–11,417 events/s with 100 ms, 17,558–20,121 with 1,000.
    private static let fullWaitMilliseconds = 1000

    private let core: ConsumerCore
    private let rk: OpaquePointer
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    private let reader = RDKafkaRecordReader()

    private init(core: ConsumerCore) {
        self.core = core
        self.rk = core.handle.raw
        self.messages = .allocate(capacity: Self.batchSize)
    }

    /// Starts the poll thread of `core`, detached: it ends by opening `core.closed`.
    static func start(core: ConsumerCore) {
        let thread = KafkaThread(name: "kafka-poll") {
            let loop = ConsumerPollLoop(core: core)
            core.context.rebalance = { rk, err, list in loop.rebalance(rk: rk, err: err, list: list) }
            loop.run()
        }
        thread.detach()
    }

    private func run() {
        while !core.closeRequested.load(ordering: .acquiring) {
            let timeout = applyBackpressure()
            pollOnce(timeoutMilliseconds: timeout)
        }
        shutDown()
    }

    /// Waits briefly for space when the buffer is full, then pauses fetching; resumes once half
    /// empty. Returns the poll timeout to use.
    private func applyBackpressure() -> Int32 {
        let paused = core.state.withLock { $0.pausedForBackpressure }
        if core.buffer.isFullMarkingWaiter() {
            if paused { return 10 }
            if core.buffer.spaceAvailable.wait(milliseconds: Self.fullWaitMilliseconds) { return Self.pollMilliseconds }
            guard core.buffer.isFullMarkingWaiter() else { return Self.pollMilliseconds }
            _ = core.withLiveHandle { rk, state in
                state.pausedForBackpressure = true
                core.setFetching(state.assignment, paused: true, rk: rk)
            }
            core.logger.debug("record buffer full: fetching paused")
            return 10
        }
        if paused && core.buffer.count <= core.buffer.capacity / 2 {
            _ = core.withLiveHandle { rk, state in
                state.pausedForBackpressure = false
                core.setFetching(state.assignment.subtracting(state.userPaused), paused: false, rk: rk)
            }
            core.logger.debug("record buffer drained: fetching resumed")
        }
        return paused ? 10 : Self.pollMilliseconds
    }

    /// Waits up to `timeoutMilliseconds` for one record, then takes what else is ready, without waiting.
    private func pollOnce(timeoutMilliseconds: Int32) {
        guard let first = rd_kafka_consumer_poll(rk, timeoutMilliseconds) else { return }
        messages[0] = first
        var count = 1
        let more = rd_kafka_consume_batch_queue(core.queue.raw, 0, messages + 1, Self.batchSize - 1)
        if more > 0 { count += more }
        var batch: [KafkaRecord] = []
        batch.reserveCapacity(count)
        for index in 0..<count {
            guard let message = messages[index] else { continue }
            if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                batch.append(reader.record(from: message))
            } else {
                report(message)
            }
            rd_kafka_message_destroy(message)
        }
        core.buffer.append(batch)
    }

    /// A per-record or consumer error: logged; the stream goes on.
    private func report(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let error = KafkaError(message.pointee.err)
        var metadata: Logger.Metadata = ["error": "\(error)"]
        if let rkt = message.pointee.rkt {
            metadata["topic"] = "\(String(cString: rd_kafka_topic_name(rkt)))"
            metadata["partition"] = "\(message.pointee.partition)"
        }
        if error.hasCode(RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            core.logger.debug("end of partition", metadata: metadata)
        } else {
            core.logger.warning("consumer error", metadata: metadata)
        }
    }

    /// librdkafka's rebalance callback, inside a poll call on this thread.
    private func rebalance(rk: OpaquePointer, err: rd_kafka_resp_err_t, list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = RDKafkaTopicPartitionList.partitions(list)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) { logAssignFailure(KafkaError(consuming: error)) }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { logAssignFailure(KafkaError(result)) }
            }
            _ = core.withLiveHandle { rk, state in
                let added = Set(partitions)
                state.assignment.formUnion(added)
                let toPause = state.pausedForBackpressure ? added : added.intersection(state.userPaused)
                core.setFetching(toPause, paused: true, rk: rk)
                // librdkafka keeps a partition's application pause across unassign and assign: a
                // partition revoked while paused (for backpressure, say) would come back paused
                // although nothing here pauses it any more, and never be fetched again.
                core.setFetching(added.subtracting(toPause), paused: false, rk: rk)
            }
            core.logger.info("partitions assigned", metadata: ["partitions": "\(partitions)"])
            awaitHandler(.assigned(partitions))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            core.buffer.drop(Set(partitions))
            if lost {
                // Other members may own these partitions already: forget their stored offsets now
                // (or the auto-commit timer sends them) and let the handler abandon their work.
                clearStoredOffsets(partitions)
                core.state.withLock { $0.revokingLostAssignment = true }
                core.logger.warning("partitions lost (group session expired or member fenced); their unfinished work is abandoned", metadata: ["partitions": "\(partitions)"])
            } else {
                core.logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
            }
            awaitHandler(.revoked(partitions))
            if lost {
                // Offsets the handler stored meanwhile must not be committed either: librdkafka
                // 2.0.2 forgets that the assignment was lost as soon as it is unassigned, and then
                // commits the stored offsets of the removed partitions.
                clearStoredOffsets(partitions)
                core.state.withLock { $0.revokingLostAssignment = false }
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) { logAssignFailure(KafkaError(consuming: error)) }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
            core.state.withLock { state in
                state.assignment.subtract(partitions)
                if !cooperative { state.assignment.removeAll() }
            }
        default:
            core.logger.error("rebalance failed", metadata: ["error": "\(KafkaError(err))"])
            let revoked = core.state.withLock { Array($0.assignment) }
            core.buffer.drop(Set(revoked))
            if !revoked.isEmpty { awaitHandler(.revoked(revoked)) }
            _ = rd_kafka_assign(rk, nil)
            core.state.withLock { $0.assignment.removeAll() }
        }
    }

    /// Replaces the stored offsets of `partitions` with INVALID (librdkafka accepts a logical
    /// offset for an assigned partition), so no commit includes them.
    private func clearStoredOffsets(_ partitions: [KafkaTopicPartition]) {
        let err = RDKafkaTopicPartitionList.with(partitions) { list in rd_kafka_offsets_store(rk, list) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("could not clear the stored offsets of lost partitions", metadata: ["error": "\(KafkaError(err))"])
        }
    }

    private func logAssignFailure(_ error: KafkaError) {
        core.logger.error("assignment change failed", metadata: ["error": "\(error)"])
    }

    /// Runs the caller's rebalance handler and blocks this (dedicated) thread until it returns.
    private func awaitHandler(_ event: KafkaRebalanceEvent) {
        guard let handler = core.rebalanceHandler else { return }
        let done = ThreadSignal()
        Task {
            await handler(event)
            done.signal()
        }
        done.wait()
    }

    /// Stops the worker, commits stored offsets, leaves the group, ends the records and destroys
    /// the handle, in that order, all on this thread.
    private func shutDown() {
        core.worker.stopAndJoin()
        let commit = rd_kafka_commit(rk, nil, 0)
        if commit != RD_KAFKA_RESP_ERR_NO_ERROR && commit != RD_KAFKA_RESP_ERR__NO_OFFSET {
            core.logger.warning("final commit failed", metadata: ["error": "\(KafkaError(commit))"])
        }
        let close = rd_kafka_consumer_close(rk)
        if close != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("consumer close failed", metadata: ["error": "\(KafkaError(close))"])
        }
        core.buffer.finish()
        core.state.withLock { $0.isAlive = false }
        core.context.rebalance = nil
        rd_kafka_queue_destroy(core.queue.raw)
        rd_kafka_destroy(rk)
        messages.deallocate()
        core.closed.open()
    }
}
