import CustomerAPIs

extension BridgeSettings {
    /// The API client's settings: an endpoint for each API whose base URL is set (an API without
    /// one answers every request as an outage, `API_NOT_CONFIGURED`, so its events wait in Kafka).
    var apiClientSettings: APIClientSettings {
        var customerMetadata: APIEndpoint?
        if let baseURL = asapp.baseURL {
            let credentials: APICredentials =
                if let id = asapp.apiID, let secret = asapp.apiSecret { .apiKey(id: id, secret: secret) } else { .none }
            customerMetadata = APIEndpoint(baseURL: baseURL, credentials: credentials)
        }
        var externalParamsEndpoint: APIEndpoint?
        if let baseURL = externalParams.baseURL {
            let credentials: APICredentials = if let token = externalParams.token { .bearer(token) } else { .none }
            externalParamsEndpoint = APIEndpoint(baseURL: baseURL, credentials: credentials)
        }
        return APIClientSettings(
            customerMetadata: customerMetadata, externalParams: externalParamsEndpoint, timeout: httpTimeout,
            caFile: httpCABundle, maxConnectionsPerHost: max(8, maxInFlight))
    }
}
