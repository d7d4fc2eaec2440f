import Bridge

/// Which environment variables the bridge reads, from the settings table itself
/// (``SettingDefinition/all``), for checking what a deployment file sets.
enum BridgeVariables {
    /// The names among `names` that the bridge does not read: not a setting of
    /// `SettingDefinition.all`, not its `_FILE` variant, not a `KAFKA_*` librdkafka property
    /// (`KAFKA_` alone, and Kubernetes' `KAFKA_PORT*`/`KAFKA_SERVICE_*` service variables, which the
    /// bridge ignores, count as unread).
    static func unread(_ names: some Sequence<String>) -> [String] {
        let known = Set(SettingDefinition.all.flatMap { [$0.name, $0.fileVariantName] })
        return names.sorted().filter { name in
            if known.contains(name) { return false }
            if name.hasPrefix(SettingDefinition.kafkaPropertyPrefix) {
                let ignored = name == "KAFKA_PORT" || name.hasPrefix("KAFKA_PORT_") || name.hasPrefix("KAFKA_SERVICE_")
                return ignored || name == SettingDefinition.kafkaPropertyPrefix
            }
            return true
        }
    }

    /// Whether a variable holds a credential: a secret setting of the table, or a `KAFKA_*`
    /// property whose name says it is one (the bridge masks those; see docs/settings.md).
    static func isSecret(_ name: String) -> Bool {
        if let definition = SettingDefinition.named(name) { return definition.isSecret }
        guard name.hasPrefix(SettingDefinition.kafkaPropertyPrefix) else { return false }
        return ["PASSWORD", "SECRET", "TOKEN", "CREDENTIAL", "KEY_PEM", "OAUTHBEARER_CONFIG"].contains { name.contains($0) }
    }

    /// The secret settings of the table (`ASAPP_API_SECRET`, `EXTERNAL_PARAMS_TOKEN`).
    static var secretSettings: [String] {
        SettingDefinition.all.filter(\.isSecret).map(\.name)
    }

    /// The setting a `NAME_FILE` variable gives the value of, or nil for another name.
    static func settingOfFileVariant(_ name: String) -> String? {
        guard name.hasSuffix("_FILE"), name.count > 5 else { return nil }
        return String(name.dropLast(5))
    }

    /// The value a setting has when nothing sets it, from the table.
    static func defaultValue(of name: String) -> String? {
        SettingDefinition.named(name)?.defaultValue
    }
}
