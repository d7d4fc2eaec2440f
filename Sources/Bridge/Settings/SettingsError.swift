/// A settings problem, told in one line that names the setting at fault.
///
/// The message never contains the value of a secret setting.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line, naming the setting, e.g. `BRIDGE_MAX_IN_FLIGHT must be an integer from 1 to 100000, got "abc"`.
    public var message: String

    /// Creates an error with a one-line message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
