import CustomerAPIs

extension BridgeSettings {
    /// The API clients' settings: both endpoints with their credentials, timeout and CA bundle.
    ///
    /// API 1 sends `asapp-api-id`/`asapp-api-secret` when both are set, API 2 `Authorization: Bearer`
    /// when a token is set; otherwise no credentials (a local simulator, say). An API without a base
    /// URL is nil, so its requests fail as an outage with `API_NOT_CONFIGURED`.
    public var apiClientSettings: APIClientSettings {
        let customerMetadataCredentials: APICredentials
        var customerMetadataSecretFile: String?
        if let id = customerMetadata.apiID, let secret = customerMetadata.apiSecret {
            customerMetadataCredentials = .apiKey(id: id, secret: secret)
            customerMetadataSecretFile = customerMetadata.apiSecretFile
        } else {
            customerMetadataCredentials = .none
        }
        let externalParamsCredentials: APICredentials = externalParams.token.map { .bearer($0) } ?? .none
        let externalParamsTokenFile = externalParams.token == nil ? nil : externalParams.tokenFile
        // A secret given as a file is read again when the file changes (and on 401/403).
        return APIClientSettings(
            customerMetadata: customerMetadata.baseURL.map {
                APIEndpoint(baseURL: $0, credentials: customerMetadataCredentials, secretFile: customerMetadataSecretFile)
            },
            externalParams: externalParams.baseURL.map {
                APIEndpoint(baseURL: $0, credentials: externalParamsCredentials, secretFile: externalParamsTokenFile)
            },
            timeout: httpTimeout,
            caFile: httpCABundle,
            proxies: proxies)
    }

    /// How each configured API's requests travel (which proxy, or directly and why), API 1 first.
    ///
    /// - Throws: ``APIClientSettingsError`` when a proxy variable is not a proxy URL.
    public func proxyDecisions() throws -> [(kind: EventKind, decision: ProxyDecision)] {
        let settings = apiClientSettings
        return try EventKind.allCases.compactMap { kind in
            try settings.proxyDecision(for: kind).map { (kind: kind, decision: $0) }
        }
    }

    /// Checks the proxy variables that a configured API would use.
    func validateProxies() throws(SettingsError) {
        do {
            _ = try proxyDecisions()
        } catch {
            throw SettingsError.invalidValue("\(error)")
        }
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
        case .customerMetadata: customerMetadataMaxRPS
        case .externalParams: externalParamsMaxRPS
        }
    }
}
