/// The levels of settings in precedence order (flags, environment, config file): the first that has a value wins.
struct SettingsLayers: Sendable {
    /// Highest precedence first.
    let layers: [SettingsLayer]

    /// The value of `name` from the first level that sets it (as `NAME` or `NAME_FILE`).
    ///
    /// - Throws: when any level sets both `NAME` and `NAME_FILE`, even one that a higher level overrides,
    ///   or a named file cannot be read.
    func value(of name: String) throws(SettingsError) -> RawSetting? {
        var winner: RawSetting?
        for layer in layers {
            let candidate = try layer.value(of: name)
            if winner == nil { winner = candidate }
        }
        return winner
    }

    /// Every `KAFKA_*` setting name given at any level (without `_FILE`), except the typed ones.
    func kafkaPropertySettingNames() -> Set<String> {
        var names = Set<String>()
        for layer in layers {
            for key in layer.values.keys where Self.isKafkaProperty(key) {
                names.insert(Self.removingFileSuffix(key))
            }
        }
        return names
    }

    /// Whether `name` (or `name` without `_FILE`) is a librdkafka property passed through.
    static func isKafkaProperty(_ name: String) -> Bool {
        let base = removingFileSuffix(name)
        return base.hasPrefix(SettingDefinition.kafkaPropertyPrefix)
            && base.count > SettingDefinition.kafkaPropertyPrefix.count
            && SettingDefinition.named(base) == nil
    }

    /// Whether `name` is a known setting name: a table name, its `_FILE` variant, or a `KAFKA_*` property.
    static func isKnownName(_ name: String) -> Bool {
        SettingDefinition.named(removingFileSuffix(name)) != nil || isKafkaProperty(name)
    }

    static func removingFileSuffix(_ name: String) -> String {
        name.hasSuffix(SettingDefinition.fileSuffix)
            ? String(name.dropLast(SettingDefinition.fileSuffix.count)) : name
    }
}
