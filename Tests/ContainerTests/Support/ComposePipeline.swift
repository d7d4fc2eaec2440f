import Foundation
import TestSupport

/// docker/compose.yaml's pipeline without Docker: `dev-broker` with the compose file's topics,
/// `simulate-apis`, and `run` wired with the compose bridge's own environment, each a process of
/// the built binary. A process still running when the pipeline goes away is killed.
struct ComposePipeline {
    let broker: ChildProcess
    let simulator: ChildProcess
    let bridge: ChildProcess
    /// The dev broker's `bootstrap.servers`.
    let bootstrap: String
    /// The bridge's HTTP port (health, readiness, metrics).
    let httpPort: Int

    /// The bridge's HTTP address.
    var bridgeURL: String { "http://127.0.0.1:\(httpPort)" }

    /// Starts the three processes and waits until the broker and the simulator say where they are.
    static func start(_ compose: ComposeModel) async throws -> ComposePipeline {
        let binary = ChildProcess.builtBridgeBinary
        let topics = try await compose.createdTopics().sorted { $0.key < $1.key }.flatMap { ["--topic", "\($0.key):\($0.value)"] }
        let broker = try ChildProcess(binary, ["dev-broker"] + topics)
        let bootstrap = try await broker.waitForOutputLine(timeout: .seconds(30)) { line in
            line.hasPrefix("bootstrap.servers=") ? String(line.dropFirst("bootstrap.servers=".count)) : nil
        }
        let simulator = try ChildProcess(binary, ["simulate-apis", "--port", "0", "--log-level", "warning"])
        let simulatorURL = try await simulator.waitForOutputLine(timeout: .seconds(30)) { line in
            line.range(of: "listening on ").map { String(line[$0.upperBound...]) }
        }
        let httpPort = try LoopbackPort.free()
        let environment = try bridgeEnvironment(
            compose: compose, bootstrap: bootstrap, simulatorURL: simulatorURL, httpPort: httpPort)
        let bridge = try ChildProcess(binary, ["run"], environment: environment)
        return ComposePipeline(broker: broker, simulator: simulator, bridge: bridge, bootstrap: bootstrap, httpPort: httpPort)
    }

    /// The compose bridge's environment pointed at local processes: the broker's address, the
    /// simulator's URL, docker/secrets files for `/run/secrets/…`, and a free HTTP port.
    static func bridgeEnvironment(
        compose: ComposeModel, bootstrap: String, simulatorURL: String, httpPort: Int
    ) throws -> [String: String] {
        guard let service = compose.bridgeService?.service else {
            throw UnexpectedContentError("compose.yaml has no bridge service")
        }
        var environment = ProcessInfo.processInfo.environment.filter { name, _ in
            ["PATH", "HOME", "LANG", "TMPDIR"].contains(name)
        }
        for (name, value) in ComposeModel.environment(of: service) {
            if name == "KAFKA_BOOTSTRAP_SERVERS" {
                environment[name] = bootstrap
            } else if value.hasPrefix("http://apis:") {
                environment[name] = simulatorURL
            } else if value.hasPrefix("/run/secrets/") {
                environment[name] = PackageRoot.file("docker/secrets").appendingPathComponent(String(value.dropFirst(13))).path
            } else {
                environment[name] = value
            }
        }
        environment["BRIDGE_HTTP_PORT"] = String(httpPort)
        // The mock cluster's group timing (docs/testing.md, "librdkafka's mock cluster").
        environment["KAFKA_SESSION_TIMEOUT_MS"] = "6000"
        environment["KAFKA_FETCH_WAIT_MAX_MS"] = "20"
        return environment
    }
}
