import ArgumentParser

/// `kafka-api-bridge bench`: benchmarks, one subcommand per layer, each in a file of its own.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the Kafka layer, the API layer and the whole pipeline.",
        subcommands: [
            BenchKafkaCommand.self,
            BenchValidationCommand.self,
            BenchPipelineCommand.self,
        ]
    )
}
