import CustomerAPIs
import Kafka
import Logging

/// The bridge assembled from its settings: the Kafka consumer and producer, the API client, one
/// route per API and the pipeline, built and wired together; and the shutdown that takes them
/// apart in order.
struct BridgeAssembly: Sendable {
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let client: APIClient
    let pipeline: BridgePipeline
    let readiness: Readiness
    let metrics: BridgeMetrics
    let logger: Logger
    let topicKinds: [String: EventKind]
    /// Holds the pipeline and the consumer for the consumer's and the routes' callbacks: a
    /// reference cycle until `shutdown` disconnects it.
    private let relay: RebalanceAndCircuitRelay

    /// Builds and connects every part and subscribes the consumer. When a step fails, what the
    /// earlier steps started (the API client, the producer, the consumer) is closed before the
    /// error is thrown.
    init(settings: BridgeSettings, logger: Logger, metrics: BridgeMetrics, readiness: Readiness) async throws {
        var topicKinds: [String: EventKind] = [:]
        for topic in settings.customerTopics { topicKinds[topic] = .customerMetadata }
        for topic in settings.entityTopics { topicKinds[topic] = .externalParams }
        self.topicKinds = topicKinds
        self.readiness = readiness
        self.metrics = metrics
        self.logger = logger

        var clientSettings = settings.apiClientSettings
        // Every in-flight request may need a connection of its own.
        clientSettings.maxConnectionsPerHost = max(clientSettings.maxConnectionsPerHost, settings.maxInFlight)
        let client = try APIClient(settings: clientSettings)
        self.client = client

        // A dead letter carries the original value, up to BRIDGE_MAX_EVENT_BYTES, plus headers:
        // librdkafka's own limit is 1,000,000 bytes. Any KAFKA_* setting overrides this.
        var producerConfiguration = settings.kafkaProducerConfiguration(defaults: [
            "message.max.bytes": String(Self.producerMessageMaxBytes(maxEventBytes: settings.maxEventBytes)),
        ])
        producerConfiguration.lingerMs = 1
        // A reply or dead letter the broker cannot take surfaces within 15 s (librdkafka waits
        // 300 s by default), and is then sent again (docs/contract.md, "When the broker refuses a reply": within 30 s).
        producerConfiguration.messageTimeout = Self.producerMessageTimeout
        // At close, only records of events the stop gave up on can be outstanding: they are
        // redone after the restart, so the close does not wait long for them.
        producerConfiguration.closeTimeout = .seconds(1)
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
        self.producer = producer

        // The pipeline and the consumer refer to each other (the consumer's rebalance callback calls
        // the pipeline), so the callback reaches the pipeline through a relay set right below.
        let relay = RebalanceAndCircuitRelay()
        // librdkafka prefetches up to 64 MiB per consumer by default; 8 MiB keeps memory flat.
        // `queued.min.messages` stays at librdkafka's 100,000: a partition whose queue is above
        // it is not fetched again until the broker thread's next pass, up to about half a second
        // later, and with 2,000 the pipeline went idle that long between bursts (0 ms API:
        // 9,900 events/s at 2,000, 12,000–13,700 with this; `bench pipeline`).
        // Any KAFKA_* setting overrides these.
        var consumerConfiguration = settings.kafkaConsumerConfiguration(defaults: [
            "queued.max.messages.kbytes": "8192",
            "fetch.max.bytes": "4194304",
            "max.partition.fetch.bytes": "262144",
        ])
        consumerConfiguration.bufferCapacity = max(1024, settings.maxInFlight * 4)
        // Beside the pipeline's own byte bound (BRIDGE_MAX_BUFFERED_MB): records near 1 MiB fill
        // the consumer's buffer at 8 of them, as 1,024 small ones do.
        consumerConfiguration.bufferCapacityBytes = 8 * 1024 * 1024
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger) { event in
                await relay.handle(event)
            }
        } catch {
            await producer.close()
            try? await client.shutdown()
            throw error
        }
        self.consumer = consumer

        var routes: [EventKind: APIRoute] = [:]
        for kind in EventKind.allCases {
            routes[kind] = APIRoute(
                kind: kind, client: client, policy: settings.retryPolicy, circuit: settings.makeCircuitBreaker(),
                rateLimiter: RateLimiter(maxRequestsPerSecond: Double(settings.maxRequestsPerSecond(for: kind))),
                metrics: metrics,
                observer: { kind, effect in relay.routeEffect(kind, effect) })
        }
        let pipeline = BridgePipeline(
            configuration: BridgePipeline.Configuration(
                topicKinds: topicKinds, replyTopic: settings.replyTopic, deadLetterTopic: settings.dlqTopic,
                maxInFlight: settings.maxInFlight, ordering: settings.ordering,
                maxBufferedBytes: settings.maxBufferedMegabytes * 1_048_576,
                revokeGrace: min(settings.shutdownGrace, .seconds(10))),
            consumer: consumer, producer: producer,
            decoder: EventDecoder(settings: settings.eventDecoderSettings),
            routes: routes, metrics: metrics, readiness: readiness, logger: logger)
        self.pipeline = pipeline
        self.relay = relay
        // The one place that pauses and resumes input partitions for the circuits.
        let pauses = CircuitPauseControl(topicKinds: topicKinds) { action in
            switch action {
            case .pause(let partitions): consumer.pause(partitions)
            case .resume(let partitions): consumer.resume(partitions)
            }
        }
        relay.connect(RebalanceAndCircuitRelay.Targets(pipeline: pipeline, consumer: consumer, pauses: pauses, readiness: readiness,
                                  metrics: metrics, logger: logger))
        do {
            try consumer.subscribe(topics: settings.inputTopics)
        } catch {
            relay.disconnect()
            await consumer.close()
            await producer.close()
            try? await client.shutdown()
            throw error
        }
    }

    /// `message.timeout.ms` of the producer: how long a reply may wait for the broker before its
    /// send fails and is made again.
    static let producerMessageTimeout = Duration.seconds(15)

    /// `message.max.bytes` of the producer: room for a dead letter of the largest accepted event
    /// (its value, a key and headers up to 256 KiB), and never below librdkafka's default.
    static func producerMessageMaxBytes(maxEventBytes: Int) -> Int {
        max(1_000_000, maxEventBytes + 262_144)
    }

    /// Stops fetching, lets unfinished work finish within `grace`, abandons the rest, commits and
    /// leaves the group, and closes the producer: within `grace` plus a few seconds (docs/contract.md, "Shutdown").
    func shutdown(grace: Duration) async {
        readiness.setStopping()
        pipeline.stopAdmitting()
        pauseFetching()
        let unfinished = pipeline.unfinished
        if unfinished > 0 {
            logger.info("shutting down: waiting for \(unfinished) unfinished events")
        }
        if !(await pipeline.waitUntilDrained(nil, within: grace)) {
            logger.warning("shutdown grace ran out; \(pipeline.unfinished) unfinished events stay uncommitted and will be redone after a restart")
            pipeline.abandonAll()
        }
        await consumer.close()
        await producer.close()
        // The consumer's rebalance callback and the routes' circuit observers reach the pipeline
        // and the consumer through the relay: let go of them, so that nothing outlives the run.
        relay.disconnect()
    }

    /// Stops fetching every assigned partition: the stop admits nothing new, so records fetched
    /// now would only be dropped and fetched again after the restart.
    private func pauseFetching() {
        consumer.pause(consumer.assignment())
    }

    /// Exports consumer lag (high watermark minus the next offset to process) until cancelled.
    func sampleLag(every interval: Duration) async {
        while !Task.isCancelled {
            for (partition, position) in pipeline.positions() {
                if let marks = consumer.watermarkOffsets(partition) {
                    metrics.recordLag(topic: partition.topic, partition: partition.partition, lag: max(0, marks.high - position))
                }
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
