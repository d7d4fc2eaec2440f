/// The credentials the simulator accepts: API 1's id and secret, API 2's bearer token.
public struct SimulatorCredentials: Sendable, Codable, Equatable {
    /// API 1's `asapp-api-id` header value.
    public var apiId: String
    /// API 1's `asapp-api-secret` header value.
    public var apiSecret: String
    /// API 2's `Authorization: Bearer` token.
    public var token: String

    /// Credentials with the given values.
    public init(apiId: String, apiSecret: String, token: String) {
        self.apiId = apiId
        self.apiSecret = apiSecret
        self.token = token
    }

    /// `sim-api-id`, `sim-api-secret`, `sim-bearer-token`: the defaults of `simulate-apis`.
    public static let `default` = SimulatorCredentials(
        apiId: "sim-api-id", apiSecret: "sim-api-secret", token: "sim-bearer-token"
    )
}

extension SimulatorCredentials: CustomStringConvertible {
    /// Names the API id only; the secret and token never reach printed output.
    public var description: String { "SimulatorCredentials(apiId: \(apiId), apiSecret: ***, token: ***)" }
}
