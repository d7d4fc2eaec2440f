/// Why a secret file could not be read. Its text names the variable and the file, never the secret.
public struct SecretLoadingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable that named the file (`ASAPP_API_SECRET_FILE`).
    public var name: String
    /// What went wrong, for an operator.
    public var reason: String

    /// `NAME_FILE: reason`.
    public var description: String { "\(name): \(reason)" }
}
