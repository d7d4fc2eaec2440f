import ArgumentParser

/// `kafka-api-bridge`: the root command; every subcommand lives in a file of its own.
@main
struct KafkaAPIBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-api-bridge",
        abstract: "Consumes customer and entity events from Kafka, calls their REST APIs, and publishes one reply per event.",
        subcommands: [
            RunCommand.self,
            DemoCommand.self,
            ReplayCommand.self,
            SimulateAPIsCommand.self,
            DevBrokerCommand.self,
            CheckConfigCommand.self,
            BenchCommand.self,
        ]
    )
}
