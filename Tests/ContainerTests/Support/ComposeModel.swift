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
            throw UnexpectedContentError("compose.yaml is not a mapping")
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

    /// The topics the one-shot topic service creates, with their partition counts: its script
    /// read by bash (``ShellCommands``), every `kafka-topics.sh --create` it would run.
    ///
    /// Compose's `$$` escape becomes `$` (compose's own interpolation), and the image's
    /// `/opt/kafka/bin/` tools are named without their folder, so bash reports them.
    func createdTopics() async throws -> [String: Int] {
        var topics: [String: Int] = [:]
        for service in services.values {
            let command = (service["command"] as? [String])?.joined(separator: "\n") ?? service["command"] as? String ?? ""
            guard command.contains("kafka-topics.sh") else { continue }
            let script = command.replacingOccurrences(of: "$$", with: "$").replacingOccurrences(of: "/opt/kafka/bin/", with: "")
            for run in try await ShellCommands.commands(in: script) where run.program == "kafka-topics.sh" {
                let arguments = run.arguments
                guard arguments.contains("--create"),
                      let topic = arguments.firstIndex(of: "--topic").map({ arguments[$0 + 1] }),
                      let partitions = arguments.firstIndex(of: "--partitions").flatMap({ Int(arguments[$0 + 1]) })
                else { continue }
                topics[topic] = partitions
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

    /// The kcat command of the commented example line holding `marker`, as bash reads that
    /// line: kcat's arguments and what the line pipes into it.
    func kcatExample(_ marker: String) async throws -> ShellCommands.Command? {
        for line in text.split(separator: "\n") where line.hasPrefix("#") && line.contains(marker) {
            let commandLine = String(line.drop { $0 == "#" || $0 == " " })
            return try await ShellCommands.commands(in: commandLine).first { $0.program == "kcat" }
        }
        return nil
    }

    /// The commented example that produces an event: the record value kcat reads (without its
    /// line end) and kcat's arguments.
    func produceExample() async throws -> (value: String, kcatArguments: [String])? {
        guard let kcat = try await kcatExample("| kcat -P") else { return nil }
        return (String(kcat.input.dropLast(kcat.input.hasSuffix("\n") ? 1 : 0)), kcat.arguments)
    }

    /// The commented example that reads replies: kcat's arguments.
    func consumeExample() async throws -> [String]? {
        try await kcatExample("kcat -C")?.arguments
    }
}
