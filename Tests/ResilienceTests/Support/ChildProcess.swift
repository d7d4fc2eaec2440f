import Foundation

/// A `kafka-api-bridge` subcommand running as a child process, started from the binary
/// `swift build` made beside the test bundle, its standard output and error kept in a log file.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: both properties are set in init and never change; Foundation's Process is
    // thread-safe for `processIdentifier`, `isRunning` and `terminationStatus`, the only calls
    // made on it after `run()`.
    let process: Process
    let logFile: URL

    /// The binary beside the test bundle (`.build/<configuration>/kafka-api-bridge`), or the one
    /// `RESILIENCE_BRIDGE_BINARY` names (to run the scenarios against another build, e.g. an older one).
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["RESILIENCE_BRIDGE_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kafka-api-bridge")
    }

    /// Starts `kafka-api-bridge <arguments>` with the test's environment minus every `KAFKA_*`
    /// and `BRIDGE_*` variable, plus `environment`.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KAFKA_") && !$0.key.hasPrefix("BRIDGE_") }
        base.merge(environment) { $1 }
        process.environment = base
        logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("resilience-\(arguments.first ?? "child")-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits until the log holds a line containing `marker` and returns the text after it on that line.
    func value(after marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for line in log.split(separator: "\n") {
                if let range = line.range(of: marker) { return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces) }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ChildProcessError.noAnnouncement(marker: marker, log: String(log.suffix(2000)))
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits up to `timeout` for the process to exit; its status, or nil if it is still running.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Kills the process at once (SIGKILL: no shutdown, no commit, no leaving the group) and reaps it.
    func kill9() async {
        send(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// Stops the process for good if it still runs (SIGCONT first, in case it was stopped).
    func ensureStopped() async {
        guard process.isRunning else { return }
        send(SIGCONT)
        send(SIGTERM)
        if await waitForExit(timeout: .seconds(10)) == nil { await kill9() }
    }

    /// Removes the log file.
    func removeLog() { try? FileManager.default.removeItem(at: logFile) }
}

enum ChildProcessError: Error, CustomStringConvertible {
    case noAnnouncement(marker: String, log: String)

    var description: String {
        switch self {
        case .noAnnouncement(let marker, let log): "the child never printed '\(marker)'; its log ends: \(log)"
        }
    }
}
