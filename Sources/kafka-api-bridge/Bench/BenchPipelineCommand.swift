import ArgumentParser
import Logging

/// `kafka-api-bridge bench pipeline`: the whole pipeline, as production runs it.
///
/// The bench hosts librdkafka's mock cluster and the API simulator in its own process and runs the
/// bridge as a separate `kafka-api-bridge run` process, so its memory is measured alone. By
/// default it fills the input topic with a backlog of valid customer events over `--keys` keys
/// first and times how fast the bridge drains it (reading the bridge's own `/metrics`); with
/// `--rate` it produces at that rate while the bridge runs and reads the replies to measure each
/// event's end-to-end latency (reply `completedAt` minus the input's produce time).
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "End-to-end events per second and the bridge's peak memory while draining a backlog."
    )

    @Option(help: "Events in the backlog.")
    var events = 100_000

    @Option(help: "Partitions of the input, reply and dead-letter topics (the mock keeps ~5 MiB per partition).")
    var partitions: Int32 = 16

    @Option(help: "Distinct record keys.")
    var keys = 1_000

    @Option(help: "Latency the simulated API adds to every answer, in milliseconds.")
    var latencyMs = 0

    @Option(help: "BRIDGE_MAX_IN_FLIGHT of the bridge.")
    var maxInFlight = 256

    @Option(help: "BRIDGE_ORDERING of the bridge: key, partition or none.")
    var ordering = "key"

    @Option(help: "Produce at this many events per second while the bridge runs, and measure end-to-end latency (0: drain a backlog produced beforehand).")
    var rate = 0

    @Option(help: "Run this kafka-api-bridge binary as the bridge instead of this one (to compare two builds under the same harness).")
    var bridgeExecutable: String?

    func run() async throws {
        var logger = Logger(label: "kafka-api-bridge.bench")
        logger.logLevel = .warning
        let bench = PipelineBench(
            events: events, partitions: partitions, keys: keys, latency: .milliseconds(latencyMs),
            maxInFlight: maxInFlight, ordering: ordering, rate: rate, bridgeExecutable: bridgeExecutable, logger: logger)
        let result = try await bench.run()
        print(result.table)
    }
}
