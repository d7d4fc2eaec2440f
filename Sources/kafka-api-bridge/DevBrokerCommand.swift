import ArgumentParser

/// `kafka-api-bridge dev-broker`: Hosts librdkafka's mock cluster as a standalone Kafka endpoint.
struct DevBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Hosts librdkafka's mock cluster as a standalone Kafka endpoint."
    )

    func run() async throws {
        print("kafka-api-bridge dev-broker: not built yet")
        throw ExitCode(2)
    }
}
