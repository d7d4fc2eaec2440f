/// Where one API lives and how to authenticate to it.
public struct APIEndpoint: Sendable, CustomStringConvertible {
    /// The base URL the request paths are appended to (`https://api.sandbox.asapp.com`), without a trailing `/`.
    public var baseURL: String
    /// The credentials sent with every request.
    public var credentials: APICredentials

    /// - Parameters:
    ///   - baseURL: `http://` or `https://` URL; a trailing `/` is dropped.
    ///   - credentials: The credentials sent with every request.
    public init(baseURL: String, credentials: APICredentials) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.credentials = credentials
    }

    /// The base URL and the kind of credential; never a secret.
    public var description: String { "\(baseURL) (\(credentials))" }
}
