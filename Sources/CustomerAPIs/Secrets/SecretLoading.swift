import Foundation

/// Why a secret could not be loaded. Its text names the variable and the file, never the secret.
public struct SecretLoadingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable whose secret could not be loaded (`ASAPP_API_SECRET`).
    public var name: String
    /// What went wrong, for an operator.
    public var reason: String

    public var description: String { "\(name): \(reason)" }
}

/// Loads the secret named `name` from `environment[name]` or from the file named by `environment["\(name)_FILE"]`.
///
/// The file's content loses one trailing newline (`\n` or `\r\n`), as files written by `echo` or
/// secret mounts end with one. A variable that is set counts even when it is empty.
///
/// - Returns: The secret, or `nil` when neither variable is set.
/// - Throws: ``SecretLoadingError`` when both are set, or when the file cannot be read or is not UTF-8.
public func loadSecret(name: String, environment: [String: String]) throws -> Secret? {
    let fileVariable = name + "_FILE"
    switch (environment[name], environment[fileVariable]) {
    case (nil, nil):
        return nil
    case (let value?, nil):
        return Secret(value)
    case (nil, let path?):
        return Secret(try readSecretFile(path: path, variable: fileVariable))
    case (.some, .some):
        throw SecretLoadingError(name: name, reason: "both \(name) and \(fileVariable) are set; set only one")
    }
}

/// Reads a secret file and drops one trailing newline.
private func readSecretFile(path: String, variable: String) throws -> String {
    var text = try SecretFile.readText(path: path, variable: variable)
    // "\r\n" is one Character in Swift, so one removal drops either ending.
    if text.last == "\n" || text.last == "\r\n" {
        text.removeLast()
    }
    return text
}
