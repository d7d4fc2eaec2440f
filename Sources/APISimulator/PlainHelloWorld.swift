import Hummingbird
import Logging

/// A plain Hummingbird hello-world (a router answering `POST|GET /` with `hello`): the
/// ceiling the simulator's throughput is compared with in `scripts/bench-simulator`.
///
/// Visible to this package's modules only (`package`): a bench tool, not part of the simulator's API.
package enum PlainHelloWorld {
    /// Serves until the calling task is cancelled; `onRunning` receives the bound port.
    package static func run(
        host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) -> Void
    ) async throws {
        let router = Router()
        router.get("/") { _, _ in "hello" }
        router.post("/") { _, _ in "hello" }
        router.post("**") { _, _ in "hello" }
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), backlog: 1024),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
        try await application.run()
    }
}
