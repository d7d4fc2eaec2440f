import Foundation
import Testing
@testable import Bridge

@Suite struct SettingsValidationTests {
    /// One case per validation rule: the environment added to a minimal valid one, and the exact error.
    struct Case: Sendable, CustomTestStringConvertible {
        let environment: [String: String]
        let message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(environment: ["KAFKA_BOOTSTRAP_SERVERS": ""],
             message: "KAFKA_BOOTSTRAP_SERVERS is required and not set"),
        Case(environment: ["KAFKA_BOOTSTRAP_SERVERS": "broker:99999"],
             message: "KAFKA_BOOTSTRAP_SERVERS has an invalid broker address \"broker:99999\": use host:port"),
        Case(environment: ["KAFKA_BOOTSTRAP_SERVERS": "a:9092,,b:9092"],
             message: "KAFKA_BOOTSTRAP_SERVERS has an invalid broker address \"\": use host:port"),
        Case(environment: ["BRIDGE_MAX_IN_FLIGHT": "0"],
             message: "BRIDGE_MAX_IN_FLIGHT must be a whole number from 1 to 100000, got \"0\" (from the environment)"),
        Case(environment: ["BRIDGE_MAX_IN_FLIGHT": "lots"],
             message: "BRIDGE_MAX_IN_FLIGHT must be a whole number from 1 to 100000, got \"lots\" (from the environment)"),
        Case(environment: ["BRIDGE_MAX_EVENT_BYTES": "100000000"],
             message: "BRIDGE_MAX_EVENT_BYTES must be a whole number from 1 to 67108864, got \"100000000\" (from the environment)"),
        Case(environment: ["BRIDGE_RETRY_BASE_MS": "-1"],
             message: "BRIDGE_RETRY_BASE_MS must be a whole number from 1 to 3600000, got \"-1\" (from the environment)"),
        Case(environment: ["BRIDGE_RETRY_BASE_MS": "5000", "BRIDGE_RETRY_MAX_MS": "1000"],
             message: "BRIDGE_RETRY_MAX_MS must be at least BRIDGE_RETRY_BASE_MS"),
        Case(environment: ["BRIDGE_MAX_ATTEMPTS": "0"],
             message: "BRIDGE_MAX_ATTEMPTS must be a whole number from 1 to 1000, got \"0\" (from the environment)"),
        Case(environment: ["BRIDGE_CIRCUIT_THRESHOLD": "1.5"],
             message: "BRIDGE_CIRCUIT_THRESHOLD must be a whole number from 1 to 100000, got \"1.5\" (from the environment)"),
        Case(environment: ["BRIDGE_CIRCUIT_PROBE_S": "0"],
             message: "BRIDGE_CIRCUIT_PROBE_S must be a whole number from 1 to 3600, got \"0\" (from the environment)"),
        Case(environment: ["ASAPP_MAX_RPS": "-5"],
             message: "ASAPP_MAX_RPS must be a whole number from 0 to 100000, got \"-5\" (from the environment)"),
        Case(environment: ["EXTERNAL_PARAMS_MAX_RPS": ""],
             message: "EXTERNAL_PARAMS_MAX_RPS must be a whole number from 0 to 100000, got \"\" (from the environment)"),
        Case(environment: ["BRIDGE_HTTP_TIMEOUT_MS": "0"],
             message: "BRIDGE_HTTP_TIMEOUT_MS must be a whole number from 1 to 600000, got \"0\" (from the environment)"),
        Case(environment: ["BRIDGE_HTTP_PORT": "65536"],
             message: "BRIDGE_HTTP_PORT must be a whole number from 0 to 65535, got \"65536\" (from the environment)"),
        Case(environment: ["BRIDGE_SHUTDOWN_GRACE_S": "3601"],
             message: "BRIDGE_SHUTDOWN_GRACE_S must be a whole number from 0 to 3600, got \"3601\" (from the environment)"),
        Case(environment: ["BRIDGE_ORDERING": "random"],
             message: "BRIDGE_ORDERING must be one of key, partition, none, got \"random\" (from the environment)"),
        Case(environment: ["BRIDGE_LOG_FORMAT": "xml"],
             message: "BRIDGE_LOG_FORMAT must be one of json, text, got \"xml\" (from the environment)"),
        Case(environment: ["BRIDGE_LOG_LEVEL": "loud"],
             message: "BRIDGE_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, got \"loud\" (from the environment)"),
        Case(environment: ["BRIDGE_GROUP_ID": " "],
             message: "BRIDGE_GROUP_ID is required and not set"),
        Case(environment: ["BRIDGE_CUSTOMER_TOPICS": "shared,c1", "BRIDGE_ENTITY_TOPICS": "e1,shared"],
             message: "topic shared is in both BRIDGE_CUSTOMER_TOPICS and BRIDGE_ENTITY_TOPICS; a topic carries one kind of event"),
        Case(environment: ["BRIDGE_CUSTOMER_TOPICS": "", "BRIDGE_ENTITY_TOPICS": ""],
             message: "BRIDGE_CUSTOMER_TOPICS and BRIDGE_ENTITY_TOPICS are both empty; there is nothing to consume"),
        Case(environment: ["BRIDGE_CUSTOMER_TOPICS": "c1,c1"],
             message: "BRIDGE_CUSTOMER_TOPICS lists topic c1 twice"),
        Case(environment: ["BRIDGE_ENTITY_TOPICS": "e1,,e2"],
             message: "BRIDGE_ENTITY_TOPICS has an empty topic name"),
        Case(environment: ["BRIDGE_ENTITY_TOPICS": "bad topic"],
             message: "BRIDGE_ENTITY_TOPICS has an invalid topic name \"bad topic\": use 1 to 249 of a-z A-Z 0-9 . _ -"),
        Case(environment: ["BRIDGE_REPLY_TOPIC": "customer-events"],
             message: "BRIDGE_REPLY_TOPIC customer-events is also an input topic; the bridge would consume its own output"),
        Case(environment: ["BRIDGE_DLQ_TOPIC": "entity-events"],
             message: "BRIDGE_DLQ_TOPIC entity-events is also an input topic; the bridge would consume its own output"),
        Case(environment: ["BRIDGE_DLQ_TOPIC": "bridge-replies"],
             message: "BRIDGE_REPLY_TOPIC and BRIDGE_DLQ_TOPIC are both bridge-replies; replies and dead letters need topics of their own"),
        Case(environment: ["BRIDGE_REPLY_TOPIC": ".."],
             message: "BRIDGE_REPLY_TOPIC has an invalid topic name \"..\": use 1 to 249 of a-z A-Z 0-9 . _ -"),
        Case(environment: ["ASAPP_BASE_URL": "ftp://example.com"],
             message: "ASAPP_BASE_URL must be an http:// or https:// URL with a host, got \"ftp://example.com\""),
        Case(environment: ["EXTERNAL_PARAMS_BASE_URL": "not a url"],
             message: "EXTERNAL_PARAMS_BASE_URL must be an http:// or https:// URL with a host, got \"not a url\""),
        Case(environment: ["EXTERNAL_PARAMS_BASE_URL": "https://user:pa55@example.com"],
             message: "EXTERNAL_PARAMS_BASE_URL must not carry a user name or password; use the credential settings"),
        Case(environment: ["ASAPP_BASE_URL": "https://example.com/?a=b"],
             message: "ASAPP_BASE_URL must not have a query or fragment"),
        Case(environment: ["ASAPP_API_ID": "id"],
             message: "ASAPP_API_ID is set but ASAPP_API_SECRET is not; set both or neither"),
        Case(environment: ["ASAPP_API_SECRET": "s3cret"],
             message: "ASAPP_API_SECRET is set but ASAPP_API_ID is not; set both or neither"),
        Case(environment: ["EXTERNAL_PARAMS_CUSTOMER_ID": "customer-1"],
             message: "EXTERNAL_PARAMS_CUSTOMER_ID must be a UUID (8-4-4-4-12 hex digits), got \"customer-1\""),
        Case(environment: ["KAFKA_SASL_PASSWORD": ""],
             message: "KAFKA_SASL_PASSWORD is empty; unset it instead"),
        // librdkafka makes no consumer group for a group id of white space (it used to trap at start-up).
        Case(environment: ["KAFKA_GROUP_ID": " "],
             message: "KAFKA_GROUP_ID is blank; unset it instead"),
    ]

    @Test(arguments: cases)
    func invalidSettingFailsWithAOneLineErrorNamingIt(_ testCase: Case) {
        let environment = minimalEnvironment.merging(testCase.environment) { $1 }
        let message = settingsErrorMessage(environment: environment)
        #expect(message == testCase.message)
        #expect(message?.contains("\n") == false)
    }

    @Test func unknownFlagNameIsAnError() {
        #expect(settingsErrorMessage(flags: ["BRIDGE_MAX_INFLIGHT": "3"]) == "unknown setting BRIDGE_MAX_INFLIGHT given as a flag")
    }

    @Test func unknownEnvironmentVariablesAreIgnored() {
        #expect(settingsErrorMessage(environment: minimalEnvironment.merging(["PATH": "/bin", "BRIDGE_X": "1"]) { $1 }) == nil)
    }

    @Test func configFileErrorsNameTheFile() throws {
        let folder = try SettingsTemporaryFolder()
        let unknown = try folder.write("unknown.yaml", "BRIDGE_MAX_INFLIGHT: 3\n")
        #expect(settingsErrorMessage(configFile: unknown) == "config file \(unknown) names an unknown setting BRIDGE_MAX_INFLIGHT")
        let notMapping = try folder.write("list.yaml", "- a\n- b\n")
        #expect(settingsErrorMessage(configFile: notMapping) == "config file \(notMapping) must be a mapping of setting names to values")
        let nested = try folder.write("nested.yaml", "BRIDGE_GROUP_ID: {a: b}\n")
        #expect(settingsErrorMessage(configFile: nested) == "BRIDGE_GROUP_ID in config file \(nested) must be a single value or a list")
        let broken = try folder.write("broken.yaml", "BRIDGE_GROUP_ID: [unclosed\n")
        let brokenMessage = try #require(settingsErrorMessage(configFile: broken))
        #expect(brokenMessage.hasPrefix("config file \(broken) is not valid YAML"))
        #expect(!brokenMessage.contains("\n"))
        #expect(settingsErrorMessage(configFile: folder.path + "/missing.yaml")
            == "config file \(folder.path)/missing.yaml cannot be read")
        let wrongValue = try folder.write("wrong.yaml", "BRIDGE_MAX_ATTEMPTS: many\n")
        #expect(settingsErrorMessage(configFile: wrongValue)
            == "BRIDGE_MAX_ATTEMPTS must be a whole number from 1 to 1000, got \"many\" (from config file \(wrongValue))")
        let empty = try folder.write("empty.yaml", "")
        #expect(settingsErrorMessage(configFile: empty) == nil)
    }

    @Test func validateCatchesChangesMadeInCode() throws {
        var settings = BridgeSettings(bootstrapServers: "127.0.0.1:9092")
        try settings.validate()
        settings.entityTopics = settings.customerTopics
        #expect(throws: SettingsError.self) { try settings.validate() }
    }
}
