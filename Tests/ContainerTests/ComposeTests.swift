import Foundation
import Testing

/// docker/compose.yaml, parsed by Yams and its shell parts read by bash: it wires the bridge only
/// with variables it reads, and creates the topics the bridge is configured for.
@Suite struct ComposeTests {
    @Test func itParsesWithTheFourServices() throws {
        let compose = try ComposeModel.load()
        #expect(Set(compose.services.keys) == ["kafka", "create-topics", "apis", "bridge"])
        let kafka = try #require(compose.services["kafka"])
        #expect((kafka["image"] as? String)?.hasPrefix("apache/kafka:") == true)
        let kafkaEnvironment = ComposeModel.environment(of: kafka)
        #expect(kafkaEnvironment["KAFKA_PROCESS_ROLES"] == "broker,controller", "single node in KRaft mode")
        let apis = try #require(compose.services["apis"])
        #expect((apis["command"] as? [String])?.first == "simulate-apis")
        #expect(compose.bridgeService?.name == "bridge")
        #expect(Set(compose.bridgeImageServices.keys) == ["apis", "bridge"])
    }

    @Test func bridgeImageServicesSetOnlyVariablesTheBridgeReads() throws {
        let compose = try ComposeModel.load()
        for (name, service) in compose.bridgeImageServices {
            let unread = ComposeModel.unreadVariables(ComposeModel.environment(of: service))
            #expect(unread.isEmpty, "service \(name) sets variables the bridge does not read: \(unread)")
        }
        let bridge = try #require(compose.bridgeService?.service)
        #expect(ComposeModel.environment(of: bridge)["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:19092")
    }

    @Test func theVariableCheckCatchesMisspellings() {
        let unread = ComposeModel.unreadVariables([
            "BRIDGE_MAX_IN_FLIGHT": "1", "ASAPP_API_SECRET_FILE": "/run/secrets/a", "KAFKA_SASL_USERNAME": "u",
            "BRIDGE_MAX_INFLIGHT": "1", "ASAPP_SECRET": "x", "KAFKA_PORT": "tcp://10.0.0.1:9092",
        ])
        #expect(unread == ["ASAPP_SECRET", "BRIDGE_MAX_INFLIGHT", "KAFKA_PORT"])
    }

    @Test func theTopicsCreatedAreTheOnesTheBridgeUses() async throws {
        let compose = try ComposeModel.load()
        let bridge = try #require(compose.bridgeService?.service)
        let created = try await compose.createdTopics()
        #expect(!created.isEmpty)
        #expect(Set(created.keys) == ComposeModel.configuredTopics(ComposeModel.environment(of: bridge)))
        #expect(created.values.allSatisfy { $0 >= 1 })
    }

    @Test func secretFilesComeFromComposeSecrets() throws {
        let compose = try ComposeModel.load()
        let bridge = try #require(compose.bridgeService?.service)
        let mounted = Set(bridge["secrets"] as? [String] ?? [])
        let declared = compose.document["secrets"] as? [String: Any] ?? [:]
        for (name, value) in ComposeModel.environment(of: bridge) where name.hasSuffix("_FILE") {
            let secret = URL(fileURLWithPath: value).lastPathComponent
            #expect(value == "/run/secrets/\(secret)" && mounted.contains(secret), "\(name) names a mounted secret")
            let file = (declared[secret] as? [String: Any])?["file"] as? String
            let path = PackageRoot.file("docker").appendingPathComponent(file ?? "missing").standardized.path
            #expect(FileManager.default.fileExists(atPath: path), "secret \(secret) has a file")
        }
        // Secrets never sit in the environment as values.
        let environment = ComposeModel.environment(of: bridge)
        #expect(environment["ASAPP_API_SECRET"] == nil && environment["EXTERNAL_PARAMS_TOKEN"] == nil)
    }

    @Test func theBridgeCallsTheSimulatorService() throws {
        let compose = try ComposeModel.load()
        let environment = ComposeModel.environment(of: try #require(compose.bridgeService?.service))
        let command = try #require(compose.services["apis"]?["command"] as? [String])
        let port = try #require(command.firstIndex(of: "--port").map { command[$0 + 1] })
        #expect(environment["ASAPP_BASE_URL"] == "http://apis:\(port)")
        #expect(environment["EXTERNAL_PARAMS_BASE_URL"] == "http://apis:\(port)")
    }

    @Test func theKcatExamplesAreThere() async throws {
        let compose = try ComposeModel.load()
        let produce = try #require(try await compose.produceExample())
        #expect(produce.kcatArguments.prefix(3) == ["-P", "-b", "localhost:9092"])
        #expect(try JSONSerialization.jsonObject(with: Data(produce.value.utf8)) is [String: Any])
        let consume = try #require(try await compose.consumeExample())
        #expect(consume.contains("bridge-replies"))
        #expect(consume.suffix(2) == ["-f", "%k %h %s\\n"], "the format reaches kcat as one word, its \\n for kcat to read")
    }
}
