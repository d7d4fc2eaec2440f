import CustomerAPIs
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// The bridge as a service (`kafka-api-bridge run`): consumes the input topics, calls the APIs,
/// writes replies and dead letters, and serves `/metrics`, `/healthz` and `/readyz`.
///
/// `run()` returns after a graceful shutdown (SIGTERM/SIGINT through swift-service-lifecycle, or
/// cancellation): it stops fetching, gives in-flight work `BRIDGE_SHUTDOWN_GRACE_S` to finish,
/// leaves what is still unfinished unreplied and uncommitted (it is redone after a restart),
/// commits, and leaves the group (CONTRACT section 5).
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

    public func run() async throws {
        let parts = try BridgeComponents(settings: settings, logger: logger, metrics: metrics, readiness: readiness)
        let stop = StopSignal()
        let http = ObservabilityServer.make(
            host: httpHost, port: settings.httpPort, metrics: metrics, readiness: readiness, logger: logger,
            onRunning: onHTTPRunning)
        logger.info(
            "kafka-api-bridge starting",
            metadata: [
                "topics": "\(settings.inputTopics.joined(separator: ","))", "group": "\(settings.groupID)",
                "bootstrap-servers": "\(settings.bootstrapServers)", "http-port": "\(settings.httpPort)",
            ])
        // The HTTP endpoints run in a service group of their own, stopped gracefully last.
        let httpGroup = ServiceGroup(services: [http], logger: logger)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await parts.pipeline.consume() }
                group.addTask { try await httpGroup.run() }
                group.addTask { await parts.sampleLag(every: .seconds(5)) }
                await withTaskCancellationHandler {
                    await stop.wait()
                } onCancel: {
                    stop.fire()
                }
                await parts.shutdown(grace: settings.shutdownGrace)
                await httpGroup.triggerGracefulShutdown()
                group.cancelAll()
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            stop.fire()
        }
        try? await parts.client.shutdown()
        logger.info("kafka-api-bridge stopped")
    }
}

/// A one-shot signal: `wait()` returns once `fire()` was called, before or after.
final class StopSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if fired { continuation.resume() }
        }
    }
}
