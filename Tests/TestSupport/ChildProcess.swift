import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose standard output and error go to temporary files, so nothing blocks on
/// a full pipe and a test can read what it printed so far. When the wrapper goes away, a process
/// still running is killed and the files are removed.
///
/// Every start goes through one process-wide lock (``launchLock``): a CI run crashed inside
/// Foundation's `Process.run()` (a bad pointer in `memcpy`) while several suites started
/// processes in parallel, so no two `run()` calls ever overlap in a test process.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: every stored property is set in init and never changed; Foundation's Process
    // is safe to query (`isRunning`, `terminationStatus`, `processIdentifier`) and to signal from
    // any thread, the only calls made on it after `run()`.

    /// The running (or finished) process.
    public let process: Process
    /// The executable's file name, for messages.
    public let name: String
    /// Where standard output goes (standard error too when the two are combined).
    public let outputFile: URL
    /// Where standard error goes; the same file as ``outputFile`` when the two are combined.
    public let errorFile: URL

    /// Serialises `Process.run()` across the whole test process.
    private static let launchLock = Mutex<Void>(())

    /// Starts `executable` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: replaces the inherited environment when given.
    ///   - input: written to its standard input, which is then closed; none when nil.
    ///   - combineOutput: standard error goes to the same file as standard output, in the order
    ///     the process wrote them (``log``).
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
        combineOutput: Bool = false
    ) throws {
        name = executable.lastPathComponent
        let subcommand = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? ""
        let label = (name + "-" + subcommand).filter { $0.isLetter || $0.isNumber || $0 == "-" }.prefix(60)
        let stem = FileManager.default.temporaryDirectory
            .appendingPathComponent("child-\(label)-\(UUID().uuidString)")
        outputFile = stem.appendingPathExtension(combineOutput ? "log" : "out")
        errorFile = combineOutput ? outputFile : stem.appendingPathExtension("err")
        for file in Set([outputFile, errorFile]) where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw ChildProcessError(description: "cannot create \(file.path)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = combineOutput ? outputHandle : try FileHandle(forWritingTo: errorFile)
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try Self.launchLock.withLock { _ in try process.run() }
        try? outputHandle.close()
        if !combineOutput { try? errorHandle.close() }
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        self.process = process
    }

    deinit {
        killIfRunning()
        removeLog()
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// What it wrote to standard output so far (with standard error when combined).
    public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    /// What it wrote to standard error so far (with standard output when combined).
    public var errorOutput: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Everything it wrote so far: the combined file, or standard output then standard error.
    public var log: String { outputFile == errorFile ? output : output + errorOutput }

    /// Removes the output files now (the wrapper removes them at the latest when it goes away).
    public func removeLog() {
        for file in Set([outputFile, errorFile]) { try? FileManager.default.removeItem(at: file) }
    }

    /// Waits until a line of its standard output (with standard error when combined) satisfies
    /// `match` and returns its result, failing when the process exits first or `timeout` passes.
    public func waitForOutputLine<T>(timeout: Duration, _ match: (Substring) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            for line in output.split(separator: "\n") {
                if let found = match(line) { return found }
            }
            guard process.isRunning else {
                throw ChildProcessError(description: "\(name) exited (\(process.terminationStatus)) first: \(log.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                throw ChildProcessError(description: "\(name) printed no such line in time: \(log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until a line of its output contains `marker` and returns the rest of that line,
    /// trimmed.
    public func value(after marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitForOutputLine(timeout: timeout) { line in
            line.range(of: marker).map { String(line[$0.upperBound...]).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits up to `timeout` for the process to exit; its status, or nil while it still runs.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The exit status; kills the process and throws when it still runs after `timeout`.
    public func exitStatus(within timeout: Duration) async throws -> Int32 {
        if let status = await waitForExit(timeout: timeout) { return status }
        await kill9()
        throw ChildProcessError(description: "\(name) did not finish within \(timeout): \(log.suffix(2000))")
    }

    /// Sends SIGTERM and returns the exit status (SIGKILL and -1 after `timeout`).
    public func terminate(timeout: Duration = .seconds(45)) async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        send(SIGTERM)
        if let status = await waitForExit(timeout: timeout) { return status }
        await kill9()
        return -1
    }

    /// Kills the process at once (SIGKILL: no shutdown, no commit, no leaving a group) and
    /// waits for it, without blocking a thread of the cooperative pool.
    public func kill9() async {
        send(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// Stops the process for good if it still runs: SIGCONT (in case it was stopped), SIGTERM,
    /// and SIGKILL after ten seconds.
    public func ensureStopped() async {
        guard process.isRunning else { return }
        send(SIGCONT)
        send(SIGTERM)
        if await waitForExit(timeout: .seconds(10)) == nil { await kill9() }
    }

    /// Kills the process if it still runs and reaps it (clean-up after a failed expectation).
    public func killIfRunning() {
        if process.isRunning {
            send(SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A failure to start, read or stop a child process.
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What went wrong, with the end of the child's output where it helps.
    public let description: String

    /// An error that says `description`.
    public init(description: String) {
        self.description = description
    }
}
