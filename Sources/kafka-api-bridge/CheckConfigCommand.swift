import ArgumentParser

/// `kafka-api-bridge check-config`: Loads and validates the settings and checks reachability.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Loads and validates the settings and checks reachability."
    )

    func run() async throws {
        print("kafka-api-bridge check-config: not built yet")
        throw ExitCode(2)
    }
}
