import Testing
@testable import Bridge

@Suite struct SettingsFlagsTests {
    @Test func flagsBecomeSettingNames() throws {
        let values = try SettingFlags.values(from: [
            "--max-in-flight", "64",
            "--ordering=partition",
            "--asapp-api-secret-file", "/run/secrets/asapp",
            "--kafka-security-protocol", "SASL_SSL",
            "--kafka-sasl-password-file=/run/secrets/kafka",
            "--kafka-bootstrap-servers", "a:9092",
            "--group-id=",
        ])
        #expect(values == [
            "BRIDGE_MAX_IN_FLIGHT": "64",
            "BRIDGE_ORDERING": "partition",
            "ASAPP_API_SECRET_FILE": "/run/secrets/asapp",
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_PASSWORD_FILE": "/run/secrets/kafka",
            "KAFKA_BOOTSTRAP_SERVERS": "a:9092",
            "BRIDGE_GROUP_ID": "",
        ])
        let settings = try BridgeSettings.load(
            flags: try SettingFlags.values(from: ["--max-in-flight", "64", "--kafka-bootstrap-servers=b:9092"]),
            environment: minimalEnvironment, configFile: nil)
        #expect(settings.maxInFlight == 64)
        #expect(settings.bootstrapServers == "b:9092")
    }

    @Test(arguments: [
        (["--max-inflight", "3"], .unknownSetting("unknown option --max-inflight; run with --help for the settings")),
        (["--max-in-flight"], .missingValue("--max-in-flight needs a value")),
        (["--ordering", "key", "--ordering=none"], .givenTwice("--ordering is given twice")),
        (["stray"], .unknownSetting("unexpected argument \"stray\"; settings are given as --flag value")),
        (["--kafka-"], .unknownSetting("unknown option --kafka-; run with --help for the settings")),
        (["--kafka-Upper", "x"], .unknownSetting("unknown option --kafka-Upper; run with --help for the settings")),
    ] as [([String], SettingsError)])
    func badFlagsAreOneLineErrors(arguments: [String], error: SettingsError) {
        #expect(throws: error) { try SettingFlags.values(from: arguments) }
    }

    @Test func eachKindOfSettingsErrorHasAStableCode() {
        #expect(SettingsError.unknownSetting("x").code == "UNKNOWN_SETTING")
        #expect(SettingsError.missingValue("x").code == "MISSING_VALUE")
        #expect(SettingsError.givenTwice("x").code == "GIVEN_TWICE")
        #expect(SettingsError.invalidValue("x").code == "INVALID_VALUE")
        #expect(SettingsError.conflictingSettings("x").code == "CONFLICTING_SETTINGS")
        #expect(SettingsError.unreadableFile("x").code == "UNREADABLE_FILE")
        #expect(SettingsError.invalidValue("x") != SettingsError.unknownSetting("x"))
    }

    @Test func helpListsEveryFlag() {
        for definition in SettingDefinition.all {
            #expect(SettingFlags.helpText.contains(definition.flag))
        }
    }
}
