import Foundation

/// docker/Dockerfile read into stages of instructions, enough to check what the image holds.
///
/// Only the Dockerfile's own line grammar is read here (comments, `\` continuations, the
/// keyword); what an instruction says in shell (`RUN`, the variables of `FROM`) is read by bash
/// (``ShellCommands``), and exec forms (`["a", "b"]`) by a JSON decoder.
struct DockerfileModel {
    /// One instruction: its keyword in upper case and its arguments, continuation lines joined.
    struct Instruction {
        let keyword: String
        let arguments: String
    }

    /// One build stage: the image it starts from (build arguments expanded), its name, and its
    /// instructions after `FROM`.
    struct Stage {
        let baseImage: String
        let name: String?
        var instructions: [Instruction]

        /// The arguments of every instruction with `keyword`.
        func arguments(of keyword: String) -> [String] {
            instructions.filter { $0.keyword == keyword }.map(\.arguments)
        }
    }

    /// The stages in order; the last one is the image that ships.
    let stages: [Stage]

    /// Reads `text`; the global `ARG` lines (before the first `FROM`) and each `FROM` line go
    /// to bash, so a `FROM ${NAME}` is expanded with the argument's default as the shell would.
    init(text: String) async throws {
        var arguments = ""
        var stages: [Stage] = []
        for instruction in Self.instructions(in: text) {
            switch instruction.keyword {
            case "ARG" where stages.isEmpty:
                arguments += instruction.arguments + "\n"
            case "FROM":
                let from = try await ShellCommands.commands(in: arguments + "FROM " + instruction.arguments).last
                let words = from?.arguments ?? []
                let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2] : nil
                stages.append(Stage(baseImage: words.first ?? "", name: name, instructions: []))
            default:
                if !stages.isEmpty { stages[stages.count - 1].instructions.append(instruction) }
            }
        }
        self.stages = stages
    }

    /// The file's instructions: comments dropped, lines ending in `\` joined with the next.
    static func instructions(in text: String) -> [Instruction] {
        var logicalLines: [String] = []
        var pending = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || (line.isEmpty && pending.isEmpty) { continue }
            if line.hasSuffix("\\") {
                pending += String(line.dropLast()) + " "
            } else {
                logicalLines.append(pending + line)
                pending = ""
            }
        }
        if !pending.isEmpty { logicalLines.append(pending) }
        return logicalLines.compactMap { line in
            guard let space = line.firstIndex(of: " ") else { return nil }
            return Instruction(
                keyword: line[..<space].uppercased(),
                arguments: line[line.index(after: space)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// The commands a stage's `RUN` instructions run (shell form), as bash reads them.
    static func runCommands(in stage: Stage) async throws -> [ShellCommands.Command] {
        var commands: [ShellCommands.Command] = []
        for run in stage.arguments(of: "RUN") {
            commands += try await ShellCommands.commands(in: run)
        }
        return commands
    }

    /// The packages a stage installs with `apt-get install` (options left out).
    static func aptPackages(in stage: Stage) async throws -> [String] {
        try await runCommands(in: stage).filter { $0.program == "apt-get" && $0.arguments.first == "install" }
            .flatMap { $0.arguments.dropFirst().filter { !$0.hasPrefix("-") } }
    }

    /// An exec-form argument (`["a", "b"]`) as its list of strings, or nil for the shell form.
    static func execForm(_ arguments: String) -> [String]? {
        guard arguments.hasPrefix("["), let data = arguments.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode([String].self, from: data)
    }

    /// The exec-form command of a `HEALTHCHECK … CMD [...]` instruction.
    static func healthcheckCommand(_ arguments: String) -> [String]? {
        guard let range = arguments.range(of: "CMD ") else { return nil }
        return execForm(String(arguments[range.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    /// The repository's docker/Dockerfile.
    static func load() async throws -> DockerfileModel {
        try await DockerfileModel(text: PackageRoot.text("docker/Dockerfile"))
    }
}
