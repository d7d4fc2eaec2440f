import Foundation

/// The result of a command run to its end.
struct CommandResult: Sendable {
    let status: Int32
    let output: String
    let errorOutput: String
}

/// Errors of starting and waiting for child processes.
struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
}

/// A child process whose standard output and error go to temporary files, so nothing blocks
/// on a full pipe and a test can read what it printed so far.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: every stored property is set in init and never changed; Foundation's Process
    // is safe to query (`isRunning`, `terminationStatus`) and signal from any thread.
    let process: Process
    let name: String
    private let outputURL: URL
    private let errorURL: URL

    /// Starts `executable` with `arguments`; `environment` replaces the inherited one when given.
    /// `input`, when given, is written to its standard input, which is then closed.
    init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil) throws {
        name = executable.lastPathComponent
        let directory = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        outputURL = directory.appendingPathComponent("container-test-\(name)-\(id).out")
        errorURL = directory.appendingPathComponent("container-test-\(name)-\(id).err")
        for file in [outputURL, errorURL] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw ChildProcessError(description: "cannot create \(file.path)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        self.process = process
    }

    deinit {
        killIfRunning()
        try? FileManager.default.removeItem(at: outputURL)
        try? FileManager.default.removeItem(at: errorURL)
    }

    /// A program found on `PATH`, or nil.
    static func onPath(_ program: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a program from `PATH` to its end (killed after `timeout`) and returns what it printed.
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> CommandResult {
        guard let executable = onPath(program) else { throw ChildProcessError(description: "\(program) is not on PATH") }
        let child = try ChildProcess(executable, arguments, environment: environment, input: input)
        let status = try await child.waitForExit(timeout: timeout)
        return CommandResult(status: status, output: child.output, errorOutput: child.errorOutput)
    }

    /// What it wrote to standard output so far.
    var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }

    /// What it wrote to standard error so far.
    var errorOutput: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    /// Waits until a line of standard output satisfies `match` and returns its result, failing
    /// when the process exits first or `timeout` passes.
    func waitForOutputLine<T>(timeout: Duration, _ match: (Substring) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            for line in output.split(separator: "\n") {
                if let found = match(line) { return found }
            }
            guard process.isRunning else {
                throw ChildProcessError(description: "\(name) exited (\(process.terminationStatus)) first: \(errorOutput.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                throw ChildProcessError(description: "\(name) printed no such line in time: \(output.suffix(500)) \(errorOutput.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits for the exit status; kills the process and throws when `timeout` passes first.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw ChildProcessError(description: "\(name) did not finish within \(timeout): \(errorOutput.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Sends SIGTERM and returns the exit status (SIGKILL after `timeout`).
    func terminate(timeout: Duration = .seconds(45)) async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        return (try? await waitForExit(timeout: timeout)) ?? -1
    }

    /// Kills the process if it still runs (clean-up after a failed expectation).
    func killIfRunning() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
