/// A settings problem, told in one line that names the setting at fault.
///
/// Built like AsyncHTTPClient's `HTTPClientError`, a struct over a private enum: ``code`` says
/// what kind of problem it is in a stable word safe as a metric label (`INVALID_VALUE`), the
/// static members make each kind, and ``message`` tells the operator the rest. The message never
/// contains the value of a secret setting.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Base: String, Sendable, Equatable {
        case unknownSetting = "UNKNOWN_SETTING"
        case missingValue = "MISSING_VALUE"
        case givenTwice = "GIVEN_TWICE"
        case invalidValue = "INVALID_VALUE"
        case conflictingSettings = "CONFLICTING_SETTINGS"
        case unreadableFile = "UNREADABLE_FILE"
    }

    private let base: Base
    /// One line, naming the setting, e.g. `BRIDGE_MAX_IN_FLIGHT must be an integer from 1 to 100000, got "abc"`.
    public let message: String

    private init(_ base: Base, _ message: String) {
        self.base = base
        self.message = message
    }

    /// A flag, argument or setting name that is not a setting.
    public static func unknownSetting(_ message: String) -> SettingsError { SettingsError(.unknownSetting, message) }
    /// A required setting that is not set, or a flag or `NAME_FILE` without its value.
    public static func missingValue(_ message: String) -> SettingsError { SettingsError(.missingValue, message) }
    /// The same setting given twice at one level (a flag twice, `NAME` beside `NAME_FILE`).
    public static func givenTwice(_ message: String) -> SettingsError { SettingsError(.givenTwice, message) }
    /// A value the setting does not take.
    public static func invalidValue(_ message: String) -> SettingsError { SettingsError(.invalidValue, message) }
    /// Settings each valid alone that do not go together.
    public static func conflictingSettings(_ message: String) -> SettingsError { SettingsError(.conflictingSettings, message) }
    /// A config file or a `NAME_FILE` that cannot be read, or is not what it must be.
    public static func unreadableFile(_ message: String) -> SettingsError { SettingsError(.unreadableFile, message) }

    /// The kind of problem in one stable word, e.g. `INVALID_VALUE`; safe as a metric label.
    public var code: String { base.rawValue }

    /// The message.
    public var description: String { message }
}
