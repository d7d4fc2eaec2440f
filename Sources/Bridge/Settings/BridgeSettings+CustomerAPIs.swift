import CustomerAPIs

extension BridgeSettings {
    /// The API clients' settings: both endpoints with their credentials, timeout and CA bundle.
    ///
    /// API 1 sends `asapp-api-id`/`asapp-api-secret` when both are set, API 2 `Authorization: Bearer`
    /// when a token is set; otherwise no credentials (a local simulator, say). An API without a base
    /// URL is nil, so its requests fail as an outage with `API_NOT_CONFIGURED`.
    public var apiClientSettings: APIClientSettings {
        let asappCredentials: APICredentials
        if let id = asapp.apiID, let secret = asapp.apiSecret {
            asappCredentials = .apiKey(id: id, secret: secret)
        } else {
            asappCredentials = .none
        }
        let externalParamsCredentials: APICredentials = externalParams.token.map { .bearer($0) } ?? .none
        return APIClientSettings(
            customerMetadata: asapp.baseURL.map { APIEndpoint(baseURL: $0, credentials: asappCredentials) },
            externalParams: externalParams.baseURL.map { APIEndpoint(baseURL: $0, credentials: externalParamsCredentials) },
            timeout: httpTimeout,
            caFile: httpCABundle)
    }

    /// The event decoder's settings: the size limit and the default customer of entity events.
    public var eventDecoderSettings: EventDecoderSettings {
        EventDecoderSettings(maxEventBytes: maxEventBytes, externalParamsCustomerID: externalParams.customerID)
    }

    /// The retry policy of `BRIDGE_RETRY_BASE_MS`, `BRIDGE_RETRY_MAX_MS` and `BRIDGE_MAX_ATTEMPTS`.
    public var retryPolicy: RetryPolicy {
        RetryPolicy(base: retryBase, max: retryMax, maxAttempts: maxAttempts)
    }

    /// A closed circuit breaker of `BRIDGE_CIRCUIT_THRESHOLD` and `BRIDGE_CIRCUIT_PROBE_S`, one per API.
    public func makeCircuitBreaker() -> CircuitBreaker {
        CircuitBreaker(threshold: circuitThreshold, probeInterval: circuitProbe)
    }

    /// The request-rate cap of the API that serves `kind` (`ASAPP_MAX_RPS`, `EXTERNAL_PARAMS_MAX_RPS`); 0 is none.
    public func maxRequestsPerSecond(for kind: EventKind) -> Int {
        switch kind {
        case .customerMetadata: asappMaxRPS
        case .externalParams: externalParamsMaxRPS
        }
    }
}
