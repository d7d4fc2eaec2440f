import Bridge
import Foundation
import Yams

/// docker/compose.yaml parsed with Yams, with what the tests ask of it.
struct ComposeModel {
    /// The file's raw text (its comments hold the kcat example).
    let text: String
    /// The parsed document.
    let document: [String: Any]

    init(text: String) throws {
        self.text = text
        guard let document = try Yams.load(yaml: text) as? [String: Any] else {
            throw ChildProcessError(description: "compose.yaml is not a mapping")
        }
        self.document = document
    }

    /// The repository's docker/compose.yaml.
    static func load() throws -> ComposeModel {
        try ComposeModel(text: PackageRoot.text("docker/compose.yaml"))
    }

    /// The services by name.
    var services: [String: [String: Any]] {
        (document["services"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    /// A service's environment, written as a mapping or as a list of `NAME=value`.
    static func environment(of service: [String: Any]) -> [String: String] {
        if let mapping = service["environment"] as? [String: Any] {
            return mapping.mapValues { "\($0)" }
        }
        var environment: [String: String] = [:]
        for item in service["environment"] as? [Any] ?? [] {
            let parts = "\(item)".split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = parts.first else { continue }
            environment[name] = parts.count == 2 ? parts[1] : ""
        }
        return environment
    }

    /// The services that run the bridge's image: built from docker/Dockerfile, or tagged with
    /// the image such a service builds.
    var bridgeImageServices: [String: [String: Any]] {
        func buildsTheImage(_ service: [String: Any]) -> Bool {
            let build = service["build"] as? [String: Any]
            return (build?["dockerfile"] as? String)?.hasSuffix("docker/Dockerfile") == true
        }
        let builtImages = Set(services.values.filter(buildsTheImage).compactMap { $0["image"] as? String })
        return services.filter { _, service in
            buildsTheImage(service) || (service["image"] as? String).map(builtImages.contains) == true
        }
    }

    /// The service that runs `kafka-api-bridge run` (the image's default command).
    var bridgeService: (name: String, service: [String: Any])? {
        bridgeImageServices.first { _, service in
            let command = service["command"] as? [String] ?? []
            return command.isEmpty || command.first == "run"
        }.map { ($0.key, $0.value) }
    }

    /// The `NAME:PARTITIONS` topic specs of the one-shot service that creates topics.
    var createdTopics: [String: Int] {
        var topics: [String: Int] = [:]
        for service in services.values {
            let command = (service["command"] as? [String])?.joined(separator: "\n") ?? service["command"] as? String ?? ""
            guard command.contains("kafka-topics.sh") && command.contains("--create") else { continue }
            for line in command.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("for spec in ") {
                let list = line.replacingOccurrences(of: "for spec in ", with: "").split(separator: ";").first ?? ""
                for spec in list.split(separator: " ") {
                    let parts = spec.split(separator: ":")
                    if parts.count == 2, let partitions = Int(parts[1]) { topics[String(parts[0])] = partitions }
                }
            }
        }
        return topics
    }

    /// The environment variables a service of the bridge's image sets that the bridge does not
    /// read (see ``BridgeVariables/unread(_:)``).
    static func unreadVariables(_ environment: [String: String]) -> [String] {
        BridgeVariables.unread(environment.keys)
    }

    /// The topics a bridge with this environment reads and writes (defaults where unset).
    static func configuredTopics(_ environment: [String: String]) -> Set<String> {
        func value(_ name: String) -> String {
            environment[name] ?? SettingDefinition.named(name)?.defaultValue ?? ""
        }
        let lists = ["BRIDGE_CUSTOMER_TOPICS", "BRIDGE_ENTITY_TOPICS"].flatMap { value($0).split(separator: ",") }
        let single = ["BRIDGE_REPLY_TOPIC", "BRIDGE_DLQ_TOPIC"].map { Substring(value($0)) }
        return Set((lists + single).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// The commented example that produces an event: its record value and kcat's arguments.
    var produceExample: (value: String, kcatArguments: [String])? {
        for line in text.split(separator: "\n") where line.contains("| kcat -P") {
            guard let open = line.range(of: "echo '"), let close = line.range(of: "' | kcat ") else { continue }
            let value = String(line[open.upperBound..<close.lowerBound])
            return (value, ShellWords.split(String(line[close.upperBound...])))
        }
        return nil
    }

    /// The commented example that reads replies: kcat's arguments.
    var consumeExample: [String]? {
        for line in text.split(separator: "\n") where line.contains("kcat -C") {
            guard let start = line.range(of: "kcat ") else { continue }
            return ShellWords.split(String(line[start.upperBound...]))
        }
        return nil
    }
}

/// Splits a command line the way a POSIX shell does for plain words and single quotes.
enum ShellWords {
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        for character in line {
            if quoted {
                if character == "'" { quoted = false } else { current.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
