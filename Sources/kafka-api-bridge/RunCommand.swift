import ArgumentParser
import Foundation
import Bridge
import Logging
import ServiceLifecycle
import UnixSignals

/// `kafka-api-bridge run`: the service. Stops gracefully on SIGTERM and SIGINT and exits 0; a
/// settings error or a fatal start-up error prints one line and exits non-zero.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The service: consume events, call the APIs, write replies and dead letters.",
        discussion: """
            Settings come from these flags, then the environment (NAME or NAME_FILE), then --config.

            \(SettingFlags.helpText)
            """
    )

    @OptionGroup var settingsOptions: SettingsOptions

    func run() async throws {
        let settings = try settingsOptions.load()
        BridgeLogging.bootstrap(level: settings.logLevel, format: settings.logFormat)
        let logger = Logger(label: "kafka-api-bridge")
        let service = BridgeService(settings: settings, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        do {
            try await group.run()
        } catch {
            printError("kafka-api-bridge: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    var standardError = StandardError()
    print(line, to: &standardError)
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
