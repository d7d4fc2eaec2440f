import APISimulator
import ArgumentParser
import Bridge
import Foundation
import Logging

/// `kafka-api-bridge simulate-apis`: Serves both APIs on loopback, strictly validated, with fault injection.
struct SimulateAPIsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-apis",
        abstract: "Serves both APIs on loopback, strictly validated, with fault injection.",
        discussion: "Control endpoints under /_control/ (faults, latency, credentials, stats, accepted, reset) are described in docs/api-simulator.md."
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "The asapp-api-id that API 1 accepts.")
    var apiId = SimulatorCredentials.default.apiId

    @Option(help: "The asapp-api-secret that API 1 accepts.")
    var apiSecret = SimulatorCredentials.default.apiSecret

    @Option(help: "The Authorization: Bearer token that API 2 accepts.")
    var token = SimulatorCredentials.default.token

    @Option(help: "Record accepted requests in memory (false keeps memory flat for long benchmarks).")
    var record = true

    @Option(help: "Keep only the latest N accepted requests per API (and N event ids for 409s).")
    var recordLimit: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Flag(help: .hidden)
    var plainHelloWorld = false

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level \(logLevel)")
        }
        // The bridge's log handler: swift-log's default one formats all metadata again each time
        // Hummingbird sets a request's id, a cost on every request.
        BridgeLogging.bootstrap(level: level, format: .text)
        var logger = Logger(label: "api-simulator")
        logger.logLevel = level
        if plainHelloWorld {
            try await PlainHelloWorld.run(host: host, port: port, logger: logger) { port in
                Self.announce("plain Hummingbird hello-world listening on http://\(host):\(port)")
            }
            return
        }
        let recording: SimulatorRecording =
            if !record { .none } else if let recordLimit { .latest(recordLimit) } else { .all }
        let simulator = APISimulator(
            credentials: SimulatorCredentials(apiId: apiId, apiSecret: apiSecret, token: token),
            recording: recording,
            logger: logger
        )
        try await simulator.run(host: host, port: port) { port in
            Self.announce("API simulator listening on http://\(host):\(port)")
        }
    }

    /// Writes `line` to standard output at once (unbuffered), so scripts waiting for it see it.
    private static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
