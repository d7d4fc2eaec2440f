/// Where one API lives and how to authenticate to it.
public struct APIEndpoint: Sendable, CustomStringConvertible {
    /// The base URL the request paths are appended to (`https://api.sandbox.asapp.com`), without a trailing `/`.
    public var baseURL: String
    /// The credentials sent with every request.
    public var credentials: APICredentials
    /// The file the credentials' secret comes from, when it was given as `NAME_FILE`: read again
    /// when it changes and when the API answers 401 or 403, so a rotated secret is used without a
    /// restart. Its content replaces the secret in ``credentials``.
    public var secretFile: String?

    /// - Parameters:
    ///   - baseURL: `http://` or `https://` URL; a trailing `/` is dropped.
    ///   - credentials: The credentials sent with every request.
    ///   - secretFile: The file the secret is read from and read again (`NAME_FILE`), if any.
    public init(baseURL: String, credentials: APICredentials, secretFile: String? = nil) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.credentials = credentials
        self.secretFile = secretFile
    }

    /// The base URL and the kind of credential; never a secret.
    public var description: String { "\(baseURL) (\(credentials))" }
}
