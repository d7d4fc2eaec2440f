import Foundation

/// The result of a command run to its end.
public struct CommandResult: Sendable {
    /// The exit status.
    public let status: Int32
    /// What it wrote to standard output.
    public let output: String
    /// What it wrote to standard error.
    public let errorOutput: String
}

extension ChildProcess {
    /// A program found on `PATH`, or nil.
    public static func onPath(_ program: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a program from `PATH` (or a path, when `program` holds a `/`) to its end, killed
    /// after `timeout`, and returns what it printed.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> CommandResult {
        let executable = program.contains("/") ? URL(fileURLWithPath: program) : onPath(program)
        guard let executable else { throw ChildProcessError(description: "\(program) is not on PATH") }
        let child = try ChildProcess(executable, arguments, environment: environment, input: input)
        let status = try await child.exitStatus(within: timeout)
        return CommandResult(status: status, output: child.output, errorOutput: child.errorOutput)
    }
}
