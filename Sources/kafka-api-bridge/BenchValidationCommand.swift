import ArgumentParser

/// `kafka-api-bridge bench validation`: Events decoded, validated and encoded per second on one core.
struct BenchValidationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validation",
        abstract: "Events decoded, validated and encoded per second on one core."
    )

    func run() async throws {
        print("kafka-api-bridge bench validation: not built yet")
        throw ExitCode(2)
    }
}
