import CustomerAPIs
import Foundation
import Testing
@testable import Bridge

@Suite struct SettingsMaskingTests {
    static let secrets = ["asapp-S3CRET-value", "ep-T0KEN-value", "kafka-PA55-value", "oauth-SECRET-value"]

    /// Secrets given as a flag, in the environment, as files and in the YAML file.
    static func settingsWithSecretsEverywhere(folder: SettingsTemporaryFolder) throws -> BridgeSettings {
        let tokenFile = try folder.write("token", secrets[1] + "\n")
        let config = try folder.write("bridge.yaml", "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: \(secrets[3])\nASAPP_API_ID: id\n")
        return try BridgeSettings.load(
            flags: ["ASAPP_API_SECRET": secrets[0]],
            environment: minimalEnvironment.merging([
                "EXTERNAL_PARAMS_TOKEN_FILE": tokenFile,
                "KAFKA_SASL_PASSWORD": secrets[2],
            ]) { $1 },
            configFile: config)
    }

    @Test func secretsGivenAnyWayAppearNowhereInTheMaskedLines() throws {
        let folder = try SettingsTemporaryFolder()
        let settings = try Self.settingsWithSecretsEverywhere(folder: folder)
        #expect(settings.customerMetadata.apiSecret?.reveal() == Self.secrets[0])
        #expect(settings.externalParams.token?.reveal() == Self.secrets[1])
        #expect(settings.kafkaProperties["sasl.password"] == Self.secrets[2])

        var dumped = ""
        dump(settings, to: &dumped)
        let renderings = [
            settings.maskedLines().joined(separator: "\n"),
            settings.description,
            String(describing: settings),
            String(reflecting: settings),
            "\(settings)",
            dumped,
        ]
        for rendering in renderings {
            for secret in Self.secrets {
                #expect(!rendering.contains(secret), "\(secret) leaked")
            }
        }
        let lines = settings.maskedLines()
        #expect(lines.contains("ASAPP_API_SECRET=******"))
        #expect(lines.contains("EXTERNAL_PARAMS_TOKEN=******"))
        #expect(lines.contains("KAFKA_SASL_PASSWORD=******"))
        #expect(lines.contains("KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET=******"))
    }

    @Test func unsetSecretsShowEmpty() throws {
        let settings = try BridgeSettings.load(flags: [:], environment: minimalEnvironment, configFile: nil)
        #expect(settings.maskedLines().contains("ASAPP_API_SECRET="))
        #expect(settings.maskedLines().contains("EXTERNAL_PARAMS_TOKEN="))
    }

    @Test(arguments: [
        ("KAFKA_SASL_PASSWORD", true), ("KAFKA_SSL_KEY_PASSWORD", true), ("KAFKA_SSL_KEYSTORE_PASSWORD", true),
        ("KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET", true), ("KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", true),
        ("KAFKA_SSL_KEY_PEM", true), ("KAFKA_SASL_OAUTHBEARER_CONFIG", true),
        ("KAFKA_SASL_USERNAME", false), ("KAFKA_SECURITY_PROTOCOL", false), ("KAFKA_SSL_CA_LOCATION", false),
    ])
    func kafkaSecretNames(name: String, isSecret: Bool) {
        #expect(KafkaPassThrough.isSecret(settingName: name) == isSecret)
    }

    @Test func secretsNeverAppearInErrors() {
        // A secret whose value is wrong in a way that would be echoed for other settings.
        let message = settingsErrorMessage(environment: minimalEnvironment.merging([
            "ASAPP_API_SECRET": "leaky-S3CRET", "ASAPP_API_ID": "id",
            "ASAPP_BASE_URL": "https://user:leaky-S3CRET@example.com",
        ]) { $1 })
        #expect(message != nil)
        #expect(message?.contains("leaky-S3CRET") == false)
    }
}
