import ArgumentParser

/// `kafka-api-bridge bench`: Benchmarks of the Kafka layer, the API layer and the whole pipeline.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the Kafka layer, the API layer and the whole pipeline."
    )

    func run() async throws {
        print("kafka-api-bridge bench: not built yet")
        throw ExitCode(2)
    }
}
