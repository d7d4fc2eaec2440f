import Foundation
import NIOCore
import NIOPosix
import Kafka
import Logging
import Testing
import TestSupport
@testable import Bridge

/// A TCP listener on 127.0.0.1 and an ephemeral port that accepts connections and says nothing.
struct SettingsLoopbackListener {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> SettingsLoopbackListener {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        return SettingsLoopbackListener(channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }
}

@Suite struct SettingsCheckConfigTests {
    static let quietLogger = Logger(label: "settings-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    struct Run {
        let result: ConfigurationCheck.Result
        let output: [String]
        let errors: [String]
        var everything: String { (output + errors).joined(separator: "\n") }
    }

    static func check(
        flags: [String: String] = [:], environment: [String: String], configFile: String? = nil
    ) async -> Run {
        let output = CapturedLogLines()
        let errors = CapturedLogLines()
        let result = await ConfigurationCheck.run(
            flags: flags, environment: environment, configFile: configFile,
            connectTimeout: .seconds(2), output: output.output, errorOutput: errors.output)
        return Run(result: result, output: output.lines, errors: errors.lines)
    }

    @Test func reachableClusterAndAPIsPassWithSecretsMasked() async throws {
        let cluster = try KafkaMockCluster(logger: Self.quietLogger)
        let api = try await SettingsLoopbackListener.start()
        let apiPort = api.port
        let folder = try SettingsTemporaryFolder()
        let tokenFile = try folder.write("token", SettingsMaskingTests.secrets[1] + "\n")
        // librdkafka accepts (and ignores, over PLAINTEXT) these secret properties.
        let config = try folder.write("bridge.yaml", "KAFKA_SSL_KEY_PASSWORD: \(SettingsMaskingTests.secrets[3])\n")
        let run = await Self.check(
            flags: ["ASAPP_API_SECRET": SettingsMaskingTests.secrets[0], "ASAPP_API_ID": "id"],
            environment: [
                "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
                "ASAPP_BASE_URL": "http://127.0.0.1:\(apiPort)",
                "EXTERNAL_PARAMS_BASE_URL": "http://localhost:\(apiPort)/v2",
                "EXTERNAL_PARAMS_TOKEN_FILE": tokenFile,
                "KAFKA_SASL_PASSWORD": SettingsMaskingTests.secrets[2],
            ],
            configFile: config)
        await api.stop()
        cluster.close()
        #expect(run.result == .passed, "\(run.errors)")
        #expect(run.errors.isEmpty)
        #expect(run.output.contains("ASAPP_API_SECRET=******"))
        #expect(run.output.contains("EXTERNAL_PARAMS_TOKEN=******"))
        #expect(run.output.contains("KAFKA_SASL_PASSWORD=******"))
        #expect(run.output.contains("KAFKA_SSL_KEY_PASSWORD=******"))
        #expect(run.output.contains("ok: broker \(cluster.bootstrapServers) accepts connections"))
        #expect(run.output.contains("ok: Kafka answered for group kafka-api-bridge with these settings"))
        #expect(run.output.contains("ok: API 1 (ASAPP_BASE_URL) 127.0.0.1:\(apiPort) accepts connections"))
        #expect(run.output.contains("ok: API 2 (EXTERNAL_PARAMS_BASE_URL) localhost:\(apiPort) accepts connections"))
        for secret in SettingsMaskingTests.secrets {
            #expect(!run.everything.contains(secret), "\(secret) leaked")
        }
    }

    @Test func somethingThatIsNotKafkaFailsTheClusterCheck() async throws {
        let silent = try await SettingsLoopbackListener.start()
        let silentPort = silent.port
        let output = CapturedLogLines()
        let errors = CapturedLogLines()
        let result = await ConfigurationCheck.run(
            flags: [:],
            environment: [
                "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:\(silentPort)",
                "BRIDGE_CUSTOMER_TOPICS": "", "EXTERNAL_PARAMS_BASE_URL": "http://127.0.0.1:\(silentPort)",
            ],
            configFile: nil, connectTimeout: .milliseconds(500), output: output.output, errorOutput: errors.output)
        await silent.stop()
        #expect(result == .unreachable)
        #expect(output.lines.contains("ok: broker 127.0.0.1:\(silentPort) accepts connections"))
        #expect(errors.lines.count == 1)
        #expect(errors.lines.first?.hasPrefix("error: Kafka: no answer from the cluster for group kafka-api-bridge: ") == true, "\(errors.lines)")
    }

    @Test func propertiesLibrdkafkaRefusesFailTheCheck() async throws {
        let cluster = try KafkaMockCluster(logger: Self.quietLogger)
        let run = await Self.check(environment: [
            "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
            "BRIDGE_CUSTOMER_TOPICS": "", "EXTERNAL_PARAMS_BASE_URL": "http://127.0.0.1:1",
            "KAFKA_NO_SUCH_PROPERTY": "1",
        ])
        cluster.close()
        #expect(run.result == .unreachable)
        #expect(run.errors.contains { $0.hasPrefix("error: Kafka: librdkafka refused the settings: ") && $0.contains("no.such.property") }, "\(run.errors)")
    }

    @Test func kafkaErrorsAreMaskedBeforePrinting() {
        var settings = BridgeSettings(bootstrapServers: "b:9092")
        settings.kafkaProperties = ["sasl.password": "pa55", "sasl.username": "user"]
        settings.secretKafkaPropertyNames = ["sasl.password"]
        #expect(KafkaClusterProbe.masked("bad value \"pa55\" for user\nmore", settings) == "bad value \"******\" for user more")
    }

    @Test func unreachableBrokerIsOneErrorLineAndExitTwo() async throws {
        let api = try await SettingsLoopbackListener.start()
        let closed = try LoopbackPort.free()
        let run = await Self.check(environment: [
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:\(closed)",
            "ASAPP_BASE_URL": "http://127.0.0.1:\(api.port)",
            "EXTERNAL_PARAMS_BASE_URL": "http://127.0.0.1:\(api.port)",
            "EXTERNAL_PARAMS_TOKEN": "unreachable-T0KEN",
        ])
        await api.stop()
        #expect(run.result == .unreachable)
        #expect(run.result.rawValue == 2)
        #expect(run.errors.count == 1)
        #expect(run.errors.first?.hasPrefix("error: broker 127.0.0.1:\(closed) is unreachable: connection refused") == true, "\(run.errors)")
        #expect(!run.everything.contains("unreachable-T0KEN"))
    }

    @Test func invalidSettingsAreOneErrorLineWithoutSecrets() async {
        let run = await Self.check(environment: [
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
            "ASAPP_API_SECRET": "invalid-S3CRET",
        ])
        #expect(run.result == .invalidSettings)
        #expect(run.output.isEmpty)
        #expect(run.errors == ["error: ASAPP_API_SECRET is set but ASAPP_API_ID is not; set both or neither"])
    }

    @Test func consumedTopicsNeedTheirAPI() async {
        let run = await Self.check(environment: ["KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092", "EXTERNAL_PARAMS_BASE_URL": "http://127.0.0.1:1"])
        #expect(run.result == .invalidSettings)
        #expect(run.errors == ["error: ASAPP_BASE_URL is not set, but BRIDGE_CUSTOMER_TOPICS names topics for API 1"])
    }

    @Test func targetsCoverEveryBrokerAndDefaultPorts() throws {
        var settings = BridgeSettings(bootstrapServers: "PLAINTEXT://a:1,b,[::1]:3")
        settings.customerMetadata.baseURL = "https://asapp.example.com/x"
        settings.externalParams.baseURL = "http://[::1]/y"
        #expect(ConfigurationCheck.targets(settings) == [
            .init(name: "broker", host: "a", port: 1),
            .init(name: "broker", host: "b", port: 9092),
            .init(name: "broker", host: "::1", port: 3),
            .init(name: "API 1 (ASAPP_BASE_URL)", host: "asapp.example.com", port: 443),
            .init(name: "API 2 (EXTERNAL_PARAMS_BASE_URL)", host: "::1", port: 80),
        ])
    }
}
