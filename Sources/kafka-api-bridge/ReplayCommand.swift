import ArgumentParser

/// `kafka-api-bridge replay`: Re-publishes dead letters to their source topic.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publishes dead letters to their source topic."
    )

    func run() async throws {
        print("kafka-api-bridge replay: not built yet")
        throw ExitCode(2)
    }
}
