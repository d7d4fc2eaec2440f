import ArgumentParser
import Bridge
import Foundation

/// `kafka-api-bridge check-config`: Loads and validates the settings and checks reachability.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Loads and validates the settings and checks reachability.",
        discussion: """
            Prints every setting as NAME=value (secrets as ******) on standard output, then checks \
            that each bootstrap broker and each configured API accepts a TCP connection. Exit status: \
            0 all good, 1 invalid settings, 2 something unreachable; each problem is one `error:` line \
            on standard error.

            \(SettingFlags.helpText)
            """
    )

    @OptionGroup var settings: SettingsOptions

    @Option(help: "Milliseconds each TCP connection, and the Kafka cluster's answer, may take.")
    var connectTimeoutMs: Int = 5_000

    @Flag(help: .hidden)
    var printSettingsDoc = false

    func validate() throws {
        guard (1...600_000).contains(connectTimeoutMs) else {
            throw ValidationError("--connect-timeout-ms must be from 1 to 600000")
        }
    }

    func run() async throws {
        if printSettingsDoc {
            print(SettingsDocumentation.markdown(), terminator: "")
            return
        }
        let result = await ConfigurationCheck.run(
            flags: try settings.flagValues(),
            environment: ProcessInfo.processInfo.environment,
            configFile: settings.config,
            connectTimeout: .milliseconds(connectTimeoutMs),
            output: .standardOutput,
            errorOutput: .standardError)
        if result != .passed {
            throw ExitCode(result.rawValue)
        }
    }
}
