import ArgumentParser

/// `kafka-api-bridge bench kafka`: Produce then consume records through the Swift Kafka layer, beside kcat on the same mock cluster.
struct BenchKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Produce then consume records through the Swift Kafka layer, beside kcat on the same mock cluster."
    )

    func run() async throws {
        print("kafka-api-bridge bench kafka: not built yet")
        throw ExitCode(2)
    }
}
