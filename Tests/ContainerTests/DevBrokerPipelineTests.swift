import Foundation
import Testing
import TestSupport

/// The compose pipeline without Docker: `dev-broker`, `simulate-apis` and `run` as separate
/// processes of the built binary, the bridge wired with docker/compose.yaml's own environment,
/// and kcat producing the compose file's example event and reading its reply.
@Suite(.serialized) struct DevBrokerPipelineTests {
    /// Runs the image's HEALTHCHECK command as Docker would, against `port`; its exit status.
    static func healthcheck(port: Int) async throws -> Int32 {
        let runtime = try #require(try await DockerfileModel.load().stages.last)
        let command = try #require(runtime.arguments(of: "HEALTHCHECK").last.flatMap(DockerfileModel.healthcheckCommand))
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "BRIDGE_HTTP_PORT": String(port)]
        return try await ChildProcess.run(command[0], Array(command.dropFirst()), environment: environment, timeout: .seconds(3)).status
    }

    /// The arguments with the value after `-b` replaced by `bootstrap`.
    static func pointed(_ arguments: [String], at bootstrap: String) -> [String] {
        var result = arguments
        if let flag = result.firstIndex(of: "-b"), flag + 1 < result.count { result[flag + 1] = bootstrap }
        return result
    }

    @Test func anEventProducedWithKcatGetsItsReplyReadWithKcat() async throws {
        let kcat = try #require(ChildProcess.onPath("kcat"), "kcat is missing: run scripts/install-deps")
        let compose = try ComposeModel.load()
        let pipeline = try await ComposePipeline.start(compose)
        let (bridge, bootstrap, httpPort) = (pipeline.bridge, pipeline.bootstrap, pipeline.httpPort)

        // The image's HEALTHCHECK passes once the bridge serves /healthz.
        let deadline = ContinuousClock.now + .seconds(30)
        var healthy = try await Self.healthcheck(port: httpPort) == 0
        while !healthy, bridge.process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            healthy = try await Self.healthcheck(port: httpPort) == 0
        }
        #expect(healthy, "HEALTHCHECK never passed: \(bridge.errorOutput.suffix(2000))")

        // The compose file's produce example, pointed at the dev broker.
        let example = try #require(try await compose.produceExample())
        let produced = try await ChildProcess.run(
            "kcat", Self.pointed(example.kcatArguments, at: bootstrap), input: Data((example.value + "\n").utf8), timeout: .seconds(30))
        #expect(produced.status == 0, "kcat -P failed: \(produced.errorOutput)")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(example.value.utf8)) as? [String: Any])

        // Its reply, read by kcat in a consumer group of its own (the default assignor: no
        // other member of this group uses another one).
        let reader = try ChildProcess(kcat, [
            "-b", bootstrap, "-G", "container-test-\(UUID().uuidString)", "-X", "auto.offset.reset=earliest",
            "-c", "1", "-f", "%h\t%s\n", "bridge-replies",
        ])
        defer { reader.killIfRunning() }
        let readStatus = try await reader.exitStatus(within: .seconds(60))
        #expect(readStatus == 0, "kcat -G failed: \(reader.errorOutput.suffix(2000)) bridge: \(bridge.errorOutput.suffix(2000))")
        let line = try #require(reader.output.split(separator: "\n").first, "no reply read")
        let parts = line.split(separator: "\t", maxSplits: 1)
        let headers = String(parts.first ?? "")
        let reply = try #require(try JSONSerialization.jsonObject(with: Data((parts.last ?? "").utf8)) as? [String: Any])
        #expect(reply["status"] as? String == "succeeded", "reply: \(line)")
        #expect(reply["kind"] as? String == "customer-metadata")
        #expect(reply["eventId"] as? String == event["eventId"] as? String)
        #expect(reply["httpStatus"] as? Int == 200)
        #expect(headers.contains("bridge-status=succeeded"))
        if let correlation = example.kcatArguments.firstIndex(of: "-H").map({ example.kcatArguments[$0 + 1] }) {
            #expect(headers.contains(correlation), "the record's \(correlation) comes back on the reply")
        }

        // The compose file's read example finds it too.
        let consumeExample = try #require(try await compose.consumeExample())
        let documented = try await ChildProcess.run("kcat", Self.pointed(consumeExample, at: bootstrap), timeout: .seconds(30))
        #expect(documented.status == 0)
        #expect(documented.output.contains("\"status\":\"succeeded\""), "\(documented.output) \(documented.errorOutput)")

        #expect(await bridge.terminate() == 0, "the bridge stops cleanly on SIGTERM: \(bridge.errorOutput.suffix(2000))")
        _ = await pipeline.simulator.terminate()  // the simulator has no graceful stop: SIGTERM ends it
        #expect(await pipeline.broker.terminate() == 0)
        #expect(!bridge.errorOutput.contains("sim-api-secret") && !bridge.errorOutput.contains("sim-bearer-token"), "no secret in the logs")
    }

    @Test func theHealthcheckFailsWhenNothingServesHealthz() async throws {
        let port = try LoopbackPort.free()
        #expect(try await Self.healthcheck(port: port) != 0)
    }
}
