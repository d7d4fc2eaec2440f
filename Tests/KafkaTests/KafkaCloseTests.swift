import Kafka
import Logging
import Synchronization
import TestSupport
import Testing

/// Closing a group consumer while other threads still ask it for things.
@Suite struct KafkaCloseTests {
    typealias Support = KafkaTestSupport

    /// librdkafka's close waits for the group to end on a queue that the consumer queue forwards
    /// to while it runs; a wake of the poll thread (`rd_kafka_queue_yield` on the consumer queue)
    /// reached that queue, ended the wait at once with `_TIMED_OUT` before the group had left, and
    /// the destroy after it could hang for good (a stop with an open circuit, whose observer pauses
    /// and resumes, hung that way in CI). Pauses and resumes asked during the close must not end it.
    @Test(.timeLimit(.minutes(2)))
    func pausesAndResumesAskedDuringTheCloseDoNotCutItShort() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        defer { cluster.close() }
        let topic = Support.uniqueName("close-wakes")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try Support.producer(cluster)
        _ = try await Support.produce(producer, topic: topic, count: 40)
        await producer.close()
        let partitions = (0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) }

        for round in 0..<3 {
            let capture = LogCapture()
            var logger = capture.logger(label: "close-\(round)")
            logger.logLevel = .info
            let consumer = try KafkaConsumer(
                configuration: Support.consumerConfiguration(cluster, group: Support.uniqueName("g")), logger: logger)
            try consumer.subscribe(topics: [topic])
            let received = await Support.collect(consumer.records) { $0.count >= 40 }
            #expect(received.count == 40)

            // Another thread asks for pauses and resumes, as the circuit observer and the stop do,
            // for as long as the close runs.
            let closing = Atomic<Bool>(true)
            let asker = Task.detached {
                while closing.load(ordering: .relaxed) {
                    consumer.pause(partitions)
                    consumer.resume(partitions)
                    await Task.yield()
                }
            }
            let closedInTime = await finishes(within: .seconds(30)) { await consumer.close() }
            closing.store(false, ordering: .relaxed)
            await asker.value

            #expect(closedInTime, "round \(round): the close did not finish within 30 s")
            let failures = capture.all.filter { $0.contains("consumer close failed") }
            #expect(failures.isEmpty, "round \(round): \(failures)")
        }
    }

    /// Whether `body` returns within `limit`; it goes on in the background if it does not.
    private func finishes(within limit: Duration, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        let done = Atomic<Bool>(false)
        Task.detached {
            await body()
            done.store(true, ordering: .releasing)
        }
        let deadline = ContinuousClock.now + limit
        while !done.load(ordering: .acquiring) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return done.load(ordering: .acquiring)
    }
}
