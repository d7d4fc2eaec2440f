import Foundation

/// docker/Dockerfile read into stages of instructions, enough to check what the image holds.
struct DockerfileModel {
    /// One instruction: its keyword in upper case and its arguments, continuation lines joined.
    struct Instruction {
        let keyword: String
        let arguments: String
    }

    /// One build stage: the image it starts from (build arguments substituted), its name, and its
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

    init(text: String) {
        var defaults: [String: String] = [:]
        var stages: [Stage] = []
        for instruction in Self.instructions(in: text) {
            switch instruction.keyword {
            case "ARG" where stages.isEmpty:
                let parts = instruction.arguments.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { defaults[parts[0]] = parts[1] }
            case "FROM":
                let words = instruction.arguments.split(separator: " ").map(String.init)
                var image = words.first ?? ""
                for (name, value) in defaults {
                    image = image.replacingOccurrences(of: "${\(name)}", with: value)
                        .replacingOccurrences(of: "$\(name)", with: value)
                }
                let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2] : nil
                stages.append(Stage(baseImage: image, name: name, instructions: []))
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

    /// The packages a stage installs with `apt-get install` (options left out).
    static func aptPackages(in stage: Stage) -> [String] {
        var packages: [String] = []
        for run in stage.arguments(of: "RUN") {
            for command in run.components(separatedBy: "&&") {
                let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
                guard let install = words.firstIndex(of: "install"), words.prefix(install).contains("apt-get") else { continue }
                packages += words[(install + 1)...].filter { !$0.hasPrefix("-") }
            }
        }
        return packages
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
    static func load() throws -> DockerfileModel {
        DockerfileModel(text: try PackageRoot.text("docker/Dockerfile"))
    }
}
