import Foundation
import Logging
import Testing
import CustomerAPIs
@testable import Bridge

@Suite struct SettingsLoadingTests {
    @Test func defaultsMatchTheTableAndTheInitializer() throws {
        let loaded = try BridgeSettings.load(flags: [:], environment: minimalEnvironment, configFile: nil)
        #expect(loaded == BridgeSettings(bootstrapServers: "127.0.0.1:9092"))
        #expect(loaded.maxInFlight == 256)
        #expect(loaded.ordering == .key)
        #expect(loaded.maxEventBytes == 1_048_576)
        #expect(loaded.retryBase == .milliseconds(200))
        #expect(loaded.retryMax == .seconds(30))
        #expect(loaded.circuitProbe == .seconds(5))
        #expect(loaded.httpTimeout == .seconds(10))
        #expect(loaded.shutdownGrace == .seconds(30))
        #expect(loaded.logFormat == .json)
        #expect(loaded.logLevel == .info)
        #expect(loaded.customerTopics == ["customer-events"])
        #expect(loaded.entityTopics == ["entity-events"])
        // Every default of the table shows up as such in the masked lines.
        let lines = Set(loaded.maskedLines())
        for definition in SettingDefinition.all {
            if let value = definition.defaultValue {
                #expect(lines.contains("\(definition.name)=\(value)"), "\(definition.name)")
            }
        }
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverFile() throws {
        let folder = try SettingsTemporaryFolder()
        let file = try folder.write("bridge.yaml", """
            KAFKA_BOOTSTRAP_SERVERS: file-broker:9092
            BRIDGE_MAX_IN_FLIGHT: 10
            BRIDGE_MAX_ATTEMPTS: 3
            BRIDGE_GROUP_ID: from-file
            """)
        let environment = [
            "KAFKA_BOOTSTRAP_SERVERS": "env-broker:9092",
            "BRIDGE_MAX_IN_FLIGHT": "20",
        ]
        let flags = ["BRIDGE_MAX_IN_FLIGHT": "30"]
        let settings = try BridgeSettings.load(flags: flags, environment: environment, configFile: file)
        #expect(settings.maxInFlight == 30)
        #expect(settings.bootstrapServers == "env-broker:9092")
        #expect(settings.maxAttempts == 3)
        #expect(settings.groupID == "from-file")

        let withoutFlag = try BridgeSettings.load(flags: [:], environment: environment, configFile: file)
        #expect(withoutFlag.maxInFlight == 20)
        let fileOnly = try BridgeSettings.load(flags: [:], environment: [:], configFile: file)
        #expect(fileOnly.maxInFlight == 10)
        #expect(fileOnly.bootstrapServers == "file-broker:9092")
    }

    @Test(arguments: ["flag", "environment", "file"])
    func fileVariantIsReadAtEachLevel(level: String) throws {
        let folder = try SettingsTemporaryFolder()
        let secretFile = try folder.write("asapp-secret", "s3cr3t-from-file\n")
        let groupFile = try folder.write("group", "group-from-file\r\n")
        var flags: [String: String] = [:]
        var environment = minimalEnvironment
        var configFile: String?
        let pairs = [
            "ASAPP_API_SECRET_FILE": secretFile,
            "BRIDGE_GROUP_ID_FILE": groupFile,
            "ASAPP_API_ID": "id-1",
        ]
        switch level {
        case "flag": flags = pairs
        case "environment": environment.merge(pairs) { $1 }
        default:
            // Relative paths in the file are relative to the file's folder.
            configFile = try folder.write("bridge.yaml", """
                ASAPP_API_SECRET_FILE: asapp-secret
                BRIDGE_GROUP_ID_FILE: \(groupFile)
                ASAPP_API_ID: id-1
                """)
        }
        let settings = try BridgeSettings.load(flags: flags, environment: environment, configFile: configFile)
        #expect(settings.customerMetadata.apiSecret?.reveal() == "s3cr3t-from-file")
        #expect(settings.groupID == "group-from-file")
    }

    @Test(arguments: ["flag", "environment", "file"])
    func nameAndFileVariantAtOneLevelIsAnError(level: String) throws {
        let folder = try SettingsTemporaryFolder()
        let tokenFile = try folder.write("token", "t0ken\n")
        let pairs = ["EXTERNAL_PARAMS_TOKEN": "t0ken", "EXTERNAL_PARAMS_TOKEN_FILE": tokenFile]
        var flags: [String: String] = [:]
        var environment = minimalEnvironment
        var configFile: String?
        switch level {
        case "flag": flags = pairs
        case "environment": environment.merge(pairs) { $1 }
        default:
            configFile = try folder.write("bridge.yaml", "EXTERNAL_PARAMS_TOKEN: t0ken\nEXTERNAL_PARAMS_TOKEN_FILE: token\n")
        }
        let message = try #require(settingsErrorMessage(flags: flags, environment: environment, configFile: configFile))
        #expect(message.contains("EXTERNAL_PARAMS_TOKEN and EXTERNAL_PARAMS_TOKEN_FILE are both set"))
        #expect(!message.contains("t0ken"))
    }

    @Test func fileVariantAtOneLevelAndNameAtAnotherFollowPrecedence() throws {
        let folder = try SettingsTemporaryFolder()
        let file = try folder.write("in-flight", "77\n")
        let settings = try BridgeSettings.load(
            flags: ["BRIDGE_MAX_IN_FLIGHT_FILE": file],
            environment: minimalEnvironment.merging(["BRIDGE_MAX_IN_FLIGHT": "5"]) { $1 },
            configFile: nil)
        #expect(settings.maxInFlight == 77)
    }

    @Test func unreadableFileVariantNamesTheSetting() {
        let message = settingsErrorMessage(
            environment: minimalEnvironment.merging(["ASAPP_API_SECRET_FILE": "/nonexistent/secret"]) { $1 })
        #expect(message == "ASAPP_API_SECRET_FILE in the environment names /nonexistent/secret, which cannot be read")
    }

    @Test func kafkaPropertiesPassThroughWithSecretsRemembered() throws {
        let folder = try SettingsTemporaryFolder()
        let passwordFile = try folder.write("kafka-password", "kafka-pa55\n")
        let config = try folder.write("bridge.yaml", """
            KAFKA_SASL_MECHANISMS: SCRAM-SHA-512
            KAFKA_SECURITY_PROTOCOL: PLAINTEXT
            """)
        let settings = try BridgeSettings.load(
            flags: ["KAFKA_SSL_KEY_PASSWORD": "key-pa55"],
            environment: minimalEnvironment.merging([
                "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "KAFKA_SASL_USERNAME": "bridge",
                "KAFKA_SASL_PASSWORD_FILE": passwordFile,
                "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET": "client-s3cret",
                "HOME": "/root",
            ]) { $1 },
            configFile: config)
        #expect(settings.kafkaProperties == [
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "SCRAM-SHA-512",
            "sasl.username": "bridge",
            "sasl.password": "kafka-pa55",
            "ssl.key.password": "key-pa55",
            "sasl.oauthbearer.client.secret": "client-s3cret",
        ])
        #expect(settings.secretKafkaPropertyNames == ["sasl.password", "ssl.key.password", "sasl.oauthbearer.client.secret"])
        #expect(settings.kafkaProperties["bootstrap.servers"] == nil)
        let lines = settings.maskedLines()
        #expect(lines.contains("KAFKA_SASL_PASSWORD=******"))
        #expect(lines.contains("KAFKA_SSL_KEY_PASSWORD=******"))
        #expect(lines.contains("KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET=******"))
        #expect(lines.contains("KAFKA_SASL_USERNAME=bridge"))
        #expect(lines.contains("KAFKA_SECURITY_PROTOCOL=SASL_SSL"))
    }

    @Test func kubernetesServiceVariablesAreNotKafkaProperties() throws {
        let settings = try BridgeSettings.load(flags: [:], environment: minimalEnvironment.merging([
            "KAFKA_PORT": "tcp://10.0.0.7:9092",
            "KAFKA_PORT_9092_TCP_ADDR": "10.0.0.7",
            "KAFKA_SERVICE_HOST": "10.0.0.7",
            "KAFKA_SERVICE_PORT": "9092",
            "KAFKA_CLIENT_ID": "bridge-1",
        ]) { $1 }, configFile: nil)
        #expect(settings.kafkaProperties == ["client.id": "bridge-1"])
    }

    @Test func yamlListsNumbersAndNullsBecomeText() throws {
        let folder = try SettingsTemporaryFolder()
        let config = try folder.write("bridge.yaml", """
            KAFKA_BOOTSTRAP_SERVERS: a:9092,b:9093
            BRIDGE_CUSTOMER_TOPICS: [customers-1, customers-2]
            BRIDGE_ENTITY_TOPICS:
            BRIDGE_ORDERING: Partition
            BRIDGE_LOG_LEVEL: warn
            BRIDGE_LOG_FORMAT: text
            BRIDGE_RETRY_BASE_MS: 50
            """)
        let settings = try BridgeSettings.load(flags: [:], environment: [:], configFile: config)
        #expect(settings.customerTopics == ["customers-1", "customers-2"])
        #expect(settings.entityTopics.isEmpty)
        #expect(settings.ordering == .partition)
        #expect(settings.logLevel == .warning)
        #expect(settings.logFormat == .text)
        #expect(settings.retryBase == .milliseconds(50))
        #expect(settings.eventKind(ofTopic: "customers-2") == .customerMetadata)
        #expect(settings.eventKind(ofTopic: "entity-events") == nil)
    }

    @Test func everySettingCanBeSetAndShowsInTheMaskedLines() throws {
        var environment = minimalEnvironment
        let distinct: [String: String] = [
            "KAFKA_BOOTSTRAP_SERVERS": "broker-a:19092,[::1]:9093",
            "BRIDGE_GROUP_ID": "group-x",
            "BRIDGE_CUSTOMER_TOPICS": "c1,c2",
            "BRIDGE_ENTITY_TOPICS": "e1",
            "BRIDGE_REPLY_TOPIC": "r1",
            "BRIDGE_DLQ_TOPIC": "d1",
            "ASAPP_BASE_URL": "https://asapp.example.com/base",
            "ASAPP_API_ID": "api-id-x",
            "EXTERNAL_PARAMS_BASE_URL": "http://127.0.0.1:8081",
            "EXTERNAL_PARAMS_CUSTOMER_ID": "0B9A7C1E-4a6e-4f0e-9d4c-2f1d7e3b5a10",
            "BRIDGE_MAX_IN_FLIGHT": "17",
            "BRIDGE_ORDERING": "none",
            "BRIDGE_MAX_EVENT_BYTES": "2048",
            "BRIDGE_MAX_BUFFERED_MB": "12",
            "BRIDGE_RETRY_BASE_MS": "11",
            "BRIDGE_RETRY_MAX_MS": "1234",
            "BRIDGE_MAX_ATTEMPTS": "4",
            "BRIDGE_CIRCUIT_THRESHOLD": "9",
            "BRIDGE_CIRCUIT_PROBE_S": "2",
            "ASAPP_MAX_RPS": "50",
            "EXTERNAL_PARAMS_MAX_RPS": "60",
            "BRIDGE_HTTP_TIMEOUT_MS": "2500",
            "BRIDGE_HTTP_CA_BUNDLE": "/etc/ssl/custom.pem",
            "BRIDGE_HTTP_PORT": "0",
            "BRIDGE_LOG_LEVEL": "debug",
            "BRIDGE_LOG_FORMAT": "text",
            "BRIDGE_SHUTDOWN_GRACE_S": "7",
        ]
        environment.merge(distinct) { $1 }
        environment["ASAPP_API_SECRET"] = "asapp-s3cret"
        environment["EXTERNAL_PARAMS_TOKEN"] = "ep-t0ken"
        let settings = try BridgeSettings.load(flags: [:], environment: environment, configFile: nil)
        let lines = settings.maskedLines()
        for definition in SettingDefinition.all {
            let expected = definition.isSecret ? BridgeSettings.mask : try #require(distinct[definition.name])
            #expect(lines.contains("\(definition.name)=\(expected)"), "\(definition.name)")
        }
        #expect(lines.count == SettingDefinition.all.count)
        #expect(settings.httpTimeout == .milliseconds(2500))
        #expect(settings.externalParams.token?.reveal() == "ep-t0ken")
        #expect(settings.inputTopics == ["c1", "c2", "e1"])
    }

    @Test func emptyValueAtAHigherLevelClearsAnOptionalSetting() throws {
        let settings = try BridgeSettings.load(
            flags: ["ASAPP_BASE_URL": ""],
            environment: minimalEnvironment.merging(["ASAPP_BASE_URL": "https://api.example.com"]) { $1 },
            configFile: nil)
        #expect(settings.customerMetadata.baseURL == nil)
    }
}
