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
            let utf8 = authorization.utf8
            let scheme = "bearer ".utf8
            guard utf8.count > scheme.count,
                zip(utf8, scheme).allSatisfy({ $0 | 0x20 == $1 })
            else { return false }
            return utf8.dropFirst(scheme.count).elementsEqual(credentials.token.utf8)
        }
    }

    /// Headers never recorded nor shown: they carry credentials.
    static func isCredentialHeader(_ name: HTTPField.Name) -> Bool {
        name == apiSecretHeader || name == .authorization || name == .proxyAuthorization || name == .cookie
    }
}
