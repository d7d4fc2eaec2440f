import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Both REST APIs the bridge calls, served by Hummingbird on loopback, validated as strictly
/// as their documents describe them, with fault injection.
///
/// ```swift
/// let simulator = APISimulator()
/// let port = try await simulator.start()
/// simulator.addFault(.failNext(2, status: 503, api: .externalParams))
/// // … call simulator.baseURL …
/// let accepted = simulator.accepted(.customerMetadata)
/// await simulator.stop()
/// ```
public final class APISimulator: Sendable {
    let core: SimulatorCore
    private let logger: Logger
    private let lifecycle = Mutex(Lifecycle())

    private struct Lifecycle {
        var task: Task<Void, any Error>?
        /// Set while `start` is creating its server task, so a second `start` is refused before it
        /// can bind a port of its own.
        var starting = false
        var host = "127.0.0.1"
        var port: Int?
    }

    /// A simulator that accepts `credentials` and records what it accepts as `recording` says.
    public init(
        credentials: SimulatorCredentials = .default,
        recording: SimulatorRecording = .all,
        logger: Logger = Logger(label: "api-simulator")
    ) {
        self.core = SimulatorCore(credentials: credentials, recording: recording)
        self.logger = logger
    }

    /// A simulator whose fault durations are measured on `now` (tests).
    init(credentials: SimulatorCredentials, recording: SimulatorRecording, logger: Logger, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.core = SimulatorCore(credentials: credentials, recording: recording, now: now)
        self.logger = logger
    }

    /// Starts serving in the background and returns the bound port (`port` 0 picks a free one).
    ///
    /// - Throws: `SimulatorError.alreadyRunning`, or the bind error.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        let reserved = lifecycle.withLock { lifecycle -> Bool in
            guard lifecycle.task == nil, !lifecycle.starting else { return false }
            lifecycle.starting = true
            return true
        }
        guard reserved else { throw SimulatorError.alreadyRunning }
        let (ports, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let task = Task {
            do {
                try await self.run(host: host, port: port) { continuation.yield(.success($0)) }
                continuation.finish()
            } catch {
                continuation.yield(.failure(error))
                continuation.finish()
                throw error
            }
        }
        lifecycle.withLock {
            $0.task = task
            $0.starting = false
        }
        for await result in ports {
            switch result {
            case .success(let boundPort):
                return boundPort
            case .failure(let error):
                lifecycle.withLock { $0.task = nil }
                throw error
            }
        }
        lifecycle.withLock { $0.task = nil }
        throw SimulatorError.stoppedBeforeStarting
    }

    /// Serves until the calling task is cancelled, then returns; `onRunning` receives the bound port.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let application = Application(
            responder: SimulatorResponder(core: core, logger: logger),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil, backlog: 1024),
            onServerRunning: { [logger] channel in
                let boundPort = channel.localAddress?.port ?? port
                self.lifecycle.withLock {
                    $0.host = host
                    $0.port = boundPort
                }
                logger.info("API simulator listening", metadata: ["host": "\(host)", "port": "\(boundPort)"])
                onRunning(boundPort)
            },
            logger: logger
        )
        defer { lifecycle.withLock { $0.port = nil } }
        do {
            try await application.run()
        } catch is CancellationError {
            return
        }
    }

    /// Stops a server begun with `start` and waits until it has closed.
    public func stop() async {
        let task = lifecycle.withLock { lifecycle -> Task<Void, any Error>? in
            defer { lifecycle.task = nil }
            return lifecycle.task
        }
        task?.cancel()
        _ = await task?.result
    }

    /// `http://<host>:<port>` of the running server (port 0 when it is not running).
    public var baseURL: String {
        lifecycle.withLock { "http://\($0.host):\($0.port ?? 0)" }
    }
}

/// Why the simulator could not start.
public enum SimulatorError: Error, Equatable {
    /// `start` was called while a server begun by `start` is still running.
    case alreadyRunning
    /// The server ended before it was listening.
    case stoppedBeforeStarting
}
