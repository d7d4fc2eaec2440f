import ArgumentParser
import Bridge
import Foundation
import Logging

/// `kafka-api-bridge replay`: re-publishes dead letters to their source topic (or `--to`), with
/// their event id, for the bridge to process again.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publishes dead letters to their source topic so the bridge processes them again.",
        discussion: """
            Reads the dead-letter topic from the position of group <BRIDGE_GROUP_ID>-replay (its beginning \
            on the first run) up to the end offsets seen at start. Progress is committed only after the \
            broker acknowledged the re-published records. Exits 1 if any record could not be re-published.

            \(SettingFlags.helpText)
            """
    )

    @Option(help: "Publish to this topic instead of each record's dlq.source.topic.")
    var to: String?

    @Option(name: .customLong("error-code"), help: "Only records with this dlq.error.code (repeatable).")
    var errorCodes: [String] = []

    @Option(help: "Only records with this dlq.status: failed or rejected.")
    var status: String?

    @Option(help: "Only records with dlq.failed.at at or after this RFC 3339 time.")
    var since: String?

    @Option(help: "Only records with dlq.failed.at before this RFC 3339 time.")
    var until: String?

    @Option(help: "Replay at most this many records.")
    var limit: Int?

    @Option(help: "Skip (and report) records whose dlq.replay.count reached this.")
    var maxReplays = 3

    @Flag(help: "Print a summary of what would be replayed; write and commit nothing.")
    var dryRun = false

    @Flag(help: "Scan the dead-letter topic from its beginning, not the replay group's position.")
    var fromBeginning = false

    @OptionGroup var settingsOptions: SettingsOptions

    func run() async throws {
        let settings = try settingsOptions.load()
        BridgeLogging.bootstrap(level: settings.logLevel == .info ? .warning : settings.logLevel, format: .text)
        var options = ReplayOptions()
        options.targetTopic = to
        options.errorCodes = Set(errorCodes)
        options.status = status
        options.since = since
        options.until = until
        options.limit = limit
        options.maxReplays = maxReplays
        options.dryRun = dryRun
        options.fromBeginning = fromBeginning
        let onTerminal = isatty(STDOUT_FILENO) == 1
        let replay = DeadLetterReplay(
            settings: settings, options: options, logger: Logger(label: "kafka-api-bridge.replay"),
            progress: { handled, total in
                guard onTerminal, total > 0 else { return }
                let width = 30
                let filled = min(width, handled * width / total)
                let bar = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(handled)/\(total)"
                FileHandle.standardOutput.write(Data(bar.utf8))
            })
        let summary: ReplaySummary
        do {
            summary = try await replay.run()
        } catch {
            printError("kafka-api-bridge replay: \(error)")
            throw ExitCode(2)
        }
        if onTerminal { print("") }
        summary.lines(dryRun: dryRun).forEach { print($0) }
        if summary.failedToPublish > 0 { throw ExitCode(1) }
    }
}
