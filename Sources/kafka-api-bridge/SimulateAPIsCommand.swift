import ArgumentParser

/// `kafka-api-bridge simulate-apis`: Serves both APIs on loopback, strictly validated, with fault injection.
struct SimulateAPIsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-apis",
        abstract: "Serves both APIs on loopback, strictly validated, with fault injection."
    )

    func run() async throws {
        print("kafka-api-bridge simulate-apis: not built yet")
        throw ExitCode(2)
    }
}
