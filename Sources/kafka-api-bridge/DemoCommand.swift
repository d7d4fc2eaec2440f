import ArgumentParser

/// `kafka-api-bridge demo`: Everything embedded: broker, simulator, sample events, replies, dead letters, a replay.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Everything embedded: broker, simulator, sample events, replies, dead letters, a replay."
    )

    func run() async throws {
        print("kafka-api-bridge demo: not built yet")
        throw ExitCode(2)
    }
}
