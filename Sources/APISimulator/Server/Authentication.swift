import HTTPTypes

/// The documents' authentication: API 1's `asapp-api-id` and `asapp-api-secret` headers,
/// API 2's `Authorization: Bearer <token>`.
enum Authentication {
    static let apiIdHeader = HTTPField.Name("asapp-api-id")!
    static let apiSecretHeader = HTTPField.Name("asapp-api-secret")!

    /// Whether the request carries exactly the credentials of `api`, each header once.
    ///
    /// One pass over the fields: `HTTPFields`' subscript looks a name up and joins repeated
    /// values on every call, which showed in profiles.
    static func isAuthorized(_ api: SimulatedAPI, headers: HTTPFields, credentials: SimulatorCredentials) -> Bool {
        switch api {
        case .customerMetadata:
            var idMatches = 0
            var secretMatches = 0
            for field in headers {
                if field.name == apiIdHeader {
                    idMatches += field.value == credentials.apiId ? 1 : 2
                } else if field.name == apiSecretHeader {
                    secretMatches += field.value == credentials.apiSecret ? 1 : 2
                }
            }
            return idMatches == 1 && secretMatches == 1
        case .externalParams:
            var authorization: String?
            for field in headers where field.name == .authorization {
                guard authorization == nil else { return false }
                authorization = field.value
            }
            guard let authorization else { return false }
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
