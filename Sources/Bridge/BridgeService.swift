import CustomerAPIs
import Kafka
import Logging
import ServiceLifecycle

/// The bridge as a service (`kafka-api-bridge run`): consumes the input topics, calls the APIs,
/// writes replies and dead letters, and serves `/metrics`, `/healthz` and `/readyz`.
///
/// `run()` returns after a graceful shutdown (SIGTERM/SIGINT through swift-service-lifecycle, or
/// cancellation): it stops fetching, gives in-flight work `BRIDGE_SHUTDOWN_GRACE_S` to finish,
/// leaves what is still unfinished unreplied and uncommitted (it is redone after a restart),
/// commits, and leaves the group (docs/contract.md, "Shutdown").
public struct BridgeService: Service {
    private let settings: BridgeSettings
    private let logger: Logger
    /// The service's metrics; `/metrics` renders them.
    public let metrics: BridgeMetrics
    /// What `/readyz` reports.
    public let readiness: Readiness
    private let httpHost: String
    private let onHTTPRunning: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - httpHost: The address the HTTP endpoints listen on (all interfaces by default).
    ///   - onHTTPRunning: Told the bound port once the HTTP endpoints are up (useful with port 0).
    public init(
        settings: BridgeSettings, logger: Logger, httpHost: String = "0.0.0.0",
        onHTTPRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.settings = settings
        self.logger = logger
        self.metrics = BridgeMetrics()
        self.readiness = Readiness()
        self.httpHost = httpHost
        self.onHTTPRunning = onHTTPRunning
    }

    /// Runs the bridge until a graceful shutdown, or until one of its parts fails or ends early:
    /// then the others are stopped (the pipeline with its usual drain, commit and leave) and the
    /// part's ``BridgePartFailure`` is thrown, so that `run` exits non-zero.
    public func run() async throws {
        let parts = try await BridgeAssembly(settings: settings, logger: logger, metrics: metrics, readiness: readiness)
        let http = ObservabilityServer.make(
            host: httpHost, port: settings.httpPort, metrics: metrics, readiness: readiness, logger: logger,
            onRunning: onHTTPRunning)
        logger.info(
            "kafka-api-bridge starting",
            metadata: [
                "topics": "\(settings.inputTopics.joined(separator: ","))", "group": "\(settings.groupID)",
                "bootstrap-servers": "\(settings.bootstrapServers)", "http-port": "\(settings.httpPort)",
            ])
        let grace = settings.shutdownGrace
        // Stopped in reverse order: the pipeline first (the endpoints keep answering while it
        // drains), the HTTP endpoints last. A part that throws or returns before it was asked to
        // stop shuts the whole group down gracefully, and its error ends `run`.
        let supervised = [
            BridgePart(name: "the HTTP endpoints on port \(settings.httpPort)") { try await http.run() },
            BridgePart(name: "the lag sampler") {
                await cancelWhenGracefulShutdown { await parts.sampleLag(every: .seconds(5)) }
            },
            BridgePart(name: "the consuming pipeline") { await Self.runPipeline(parts, grace: grace) },
        ].map {
            ServiceGroupConfiguration.ServiceConfiguration(
                service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: supervised, logger: logger))
        do {
            try await withGracefulShutdownHandler {
                try await group.run()
            } onGracefulShutdown: {
                Task { await group.triggerGracefulShutdown() }
            }
        } catch {
            try? await parts.client.shutdown()
            throw error
        }
        try? await parts.client.shutdown()
        logger.info("kafka-api-bridge stopped")
    }

    /// Consumes until asked to stop (or until the consuming loop ends by itself), then shuts the
    /// pipeline down: stop fetching, drain within `grace`, commit, leave the group, flush.
    private static func runPipeline(_ parts: BridgeAssembly, grace: Duration) async {
        let stop = AsyncLatch()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    group.addTask {
                        await parts.pipeline.consume()
                        stop.open()  // ended by itself, or after the consumer closed
                    }
                    group.addTask {
                        await stop.wait()
                        await parts.shutdown(grace: grace)
                    }
                }
            } onCancel: {
                stop.open()
            }
        } onGracefulShutdown: {
            stop.open()
        }
    }
}
