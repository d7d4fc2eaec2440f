/// How the bridge proves who it is to an API.
public enum APICredentials: Sendable {
    /// API 1's pair, sent as the `asapp-api-id` and `asapp-api-secret` headers.
    case apiKey(id: String, secret: Secret)
    /// A token sent as `Authorization: Bearer <token>` (API 2).
    case bearer(Secret)
    /// Nothing is sent (a local simulator, say).
    case none

    /// The HTTP headers that carry the credentials.
    var headers: [(name: String, value: String)] {
        switch self {
        case .apiKey(let id, let secret):
            return [("asapp-api-id", id), ("asapp-api-secret", secret.reveal())]
        case .bearer(let token):
            return [("authorization", "Bearer " + token.reveal())]
        case .none:
            return []
        }
    }

    /// The secret values, so that no outcome message can ever repeat one.
    var secretValues: [String] {
        switch self {
        case .apiKey(_, let secret):
            return secret.isEmpty ? [] : [secret.reveal()]
        case .bearer(let token):
            return token.isEmpty ? [] : [token.reveal()]
        case .none:
            return []
        }
    }
}

extension APICredentials: CustomStringConvertible {
    /// Names the kind of credential and the API id, never a secret.
    public var description: String {
        switch self {
        case .apiKey(let id, _): return "apiKey(id: \(id), secret: ******)"
        case .bearer: return "bearer(******)"
        case .none: return "none"
        }
    }
}
