import Foundation

/// A `kafka-api-bridge` process started from the binary `swift build` made beside the tests,
/// configured only through its environment, as a container would run it.
final class BridgeProcess: @unchecked Sendable {
    // @unchecked: `process` is created in init and then only read; Foundation's Process is
    // thread-safe for `terminate`, `isRunning` and `waitUntilExit`, the only calls made on it.
    let process: Process
    let output: URL

    /// The binary beside the test bundle (`.build/<configuration>/kafka-api-bridge`).
    static var executable: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("kafka-api-bridge")
    }

    init(arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KAFKA_") && !$0.key.hasPrefix("BRIDGE_") }
        base.merge(environment) { $1 }
        process.environment = base
        output = FileManager.default.temporaryDirectory.appendingPathComponent("bridge-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
    }

    /// Kills the process at once (SIGKILL): no shutdown, no commit, no leaving the group.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits for the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    var log: String {
        (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }
}
