import ArgumentParser

/// `kafka-api-bridge run`: The service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The service."
    )

    func run() async throws {
        print("kafka-api-bridge run: not built yet")
        throw ExitCode(2)
    }
}
