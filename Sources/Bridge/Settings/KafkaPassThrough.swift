import Foundation

/// How `KAFKA_*` settings become librdkafka properties, and which of them are secret.
enum KafkaPassThrough {
    /// `KAFKA_SASL_PASSWORD` → `sasl.password`.
    static func propertyName(forSetting name: String) -> String {
        name.dropFirst(SettingDefinition.kafkaPropertyPrefix.count)
            .lowercased()
            .replacingOccurrences(of: "_", with: ".")
    }

    /// `sasl.password` → `KAFKA_SASL_PASSWORD`.
    static func settingName(forProperty property: String) -> String {
        SettingDefinition.kafkaPropertyPrefix
            + property.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// Whether a `KAFKA_*` setting holds a credential: any name with PASSWORD, SECRET, TOKEN or
    /// CREDENTIAL in it, a private key in PEM form, and the OAUTHBEARER configuration.
    static func isSecret(settingName name: String) -> Bool {
        let upper = name.uppercased()
        return secretMarkers.contains { upper.contains($0) } || secretNames.contains(upper)
    }

    /// Whether an environment variable is one Kubernetes sets for a Service named `kafka`
    /// (`KAFKA_PORT`, `KAFKA_PORT_9092_TCP_ADDR`, `KAFKA_SERVICE_HOST`…): not a librdkafka property,
    /// so the environment's copy is ignored rather than passed on for librdkafka to refuse.
    static func isKubernetesServiceVariable(_ name: String) -> Bool {
        name == "KAFKA_PORT" || name.hasPrefix("KAFKA_PORT_") || name.hasPrefix("KAFKA_SERVICE_")
    }

    private static let secretMarkers = ["PASSWORD", "SECRET", "TOKEN", "CREDENTIAL"]
    private static let secretNames: Set<String> = [
        "KAFKA_SASL_PASSWORD", "KAFKA_SSL_KEY_PEM", "KAFKA_SASL_OAUTHBEARER_CONFIG",
    ]
}
