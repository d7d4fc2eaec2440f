/// One setting of the bridge: its name, flag, default, whether it is secret, and what it means.
///
/// ``SettingDefinition/all`` is the single table that drives loading (defaults and number ranges),
/// the flags of the command line, `check-config`'s listing and `docs/settings.md`.
public struct SettingDefinition: Sendable, Hashable {
    /// The environment-variable name, also the key in the YAML file, e.g. `BRIDGE_MAX_IN_FLIGHT`.
    public let name: String
    /// The command-line flag, e.g. `--max-in-flight`.
    public let flag: String
    /// The default value as text, or nil when the setting has no default.
    public let defaultValue: String?
    /// Whether the value is a credential that is never printed or logged.
    public let isSecret: Bool
    /// The values it accepts, in words (`1–100000`, `key, partition, none`…).
    public let accepts: String
    /// What the setting means, in one sentence.
    public let meaning: String
    /// For whole-number settings, the allowed range (checked when loading).
    public let range: ClosedRange<Int>?

    init(
        _ name: String,
        flag: String,
        default defaultValue: String? = nil,
        secret isSecret: Bool = false,
        accepts: String,
        range: ClosedRange<Int>? = nil,
        meaning: String
    ) {
        self.name = name
        self.flag = flag
        self.defaultValue = defaultValue
        self.isSecret = isSecret
        self.accepts = accepts
        self.range = range
        self.meaning = meaning
    }

    /// The name of the variant that reads the value from a file: `NAME_FILE`.
    public var fileVariantName: String { name + Self.fileSuffix }

    /// The suffix of the file variant of every setting.
    static let fileSuffix = "_FILE"

    /// The definition of a setting by its name, or nil.
    public static func named(_ name: String) -> SettingDefinition? {
        byName[name]
    }

    private static let byName: [String: SettingDefinition] = Dictionary(
        all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }
    )
}
