import HTTPTypes

/// The documents' authentication: API 1's `asapp-api-id` and `asapp-api-secret` headers,
/// API 2's `Authorization: Bearer <token>`.
enum Authentication {
    static let apiIdHeader = HTTPField.Name("asapp-api-id")!
    static let apiSecretHeader = HTTPField.Name("asapp-api-secret")!

    static func isAuthorized(_ api: SimulatedAPI, headers: HTTPFields, credentials: SimulatorCredentials) -> Bool {
        switch api {
        case .customerMetadata:
            return headers[apiIdHeader] == credentials.apiId && headers[apiSecretHeader] == credentials.apiSecret
        case .externalParams:
            guard let authorization = headers[.authorization] else { return false }
            let scheme = "bearer "
            guard authorization.utf8.count > scheme.utf8.count,
                authorization.prefix(scheme.count).lowercased() == scheme
            else { return false }
            return authorization.dropFirst(scheme.count) == credentials.token
        }
    }

    /// Headers never recorded nor shown: they carry credentials.
    static func isCredentialHeader(_ name: HTTPField.Name) -> Bool {
        name == apiSecretHeader || name == .authorization || name == .proxyAuthorization || name == .cookie
    }
}
