import Foundation
import TestSupport

/// Shell text parsed and expanded by bash itself, with nothing run: a restricted shell
/// (`bash -r`) on an empty `PATH` finds no command, and its `command_not_found_handle` reports
/// each command's words and what it would read on standard input instead. Restricted mode also
/// refuses output redirections and command names holding a `/`, so nothing the text says
/// reaches the machine.
enum ShellCommands {
    /// One command the text would run.
    struct Command: Equatable {
        /// Its words after bash's expansions and quote removal; the first is the program.
        let words: [String]
        /// What it would read on its standard input (a pipeline's earlier output), else "".
        let input: String

        /// The program's name.
        var program: String { words.first ?? "" }
        /// Its arguments.
        var arguments: [String] { Array(words.dropFirst()) }
    }

    /// Reports `$#`, the words and the standard input of every command bash cannot find.
    private static let reporter = #"""
        command_not_found_handle() {
            local input=""
            IFS= read -r -d '' input || true
            printf '%s\0' "$#" "$@" "$input"
            return 0
        }

        """#

    /// The commands `script` would run, in order, with `variables` set in the shell.
    static func commands(in script: String, variables: [String: String] = [:]) async throws -> [Command] {
        let emptyFolder = FileManager.default.temporaryDirectory.appendingPathComponent("no-commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: emptyFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: emptyFolder) }
        let environment = variables.merging(["PATH": emptyFolder.path]) { $1 }
        let result = try await ChildProcess.run(
            "/bin/bash", ["-r", "-c", reporter + script], environment: environment, timeout: .seconds(10))
        guard result.status == 0 else {
            throw ChildProcessError(description: "bash could not read the text (\(result.status)): \(result.errorOutput)")
        }
        var fields = result.output.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)[...]
        var commands: [Command] = []
        while let count = fields.first.flatMap({ Int($0) }) {
            fields = fields.dropFirst()
            guard fields.count > count else { break }
            commands.append(Command(words: Array(fields.prefix(count)), input: fields[fields.startIndex + count]))
            fields = fields.dropFirst(count + 1)
        }
        return commands
    }
}
