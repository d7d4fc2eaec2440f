import ArgumentParser
import Logging

/// `kafka-api-bridge demo`: everything embedded — an in-process Kafka, the API simulator, sample
/// events of every outcome, the bridge — then the replies and dead letters as tables.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Everything embedded: broker, simulator, sample events, replies, dead letters, a replay."
    )

    @Option(help: "Log level of the embedded bridge (logs go to standard error).")
    var logLevel: String = "error"

    func run() async throws {
        var logger = Logger(label: "kafka-api-bridge.demo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        try await DemoRun(logger: logger).run()
    }
}
