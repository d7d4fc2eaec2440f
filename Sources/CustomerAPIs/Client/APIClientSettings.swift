/// Everything the API clients need: the two endpoints and the HTTP tuning shared by both.
public struct APIClientSettings: Sendable {
    /// API 1, the customer-metadata ingestion API; `nil` when not configured.
    public var customerMetadata: APIEndpoint?
    /// API 2, the create-external-params API; `nil` when not configured.
    public var externalParams: APIEndpoint?
    /// The most one request may take, from sending to the last byte of the answer (`BRIDGE_HTTP_TIMEOUT_MS`).
    public var timeout: Duration
    /// A PEM file of CA certificates to trust instead of the system's (for a private CA); `nil` = the system's.
    public var caFile: String?
    /// The most connections kept open to one host; requests beyond it wait for a free connection.
    public var maxConnectionsPerHost: Int
    /// The largest answer body read; a longer one is classified by its status alone.
    public var maxResponseBytes: Int
    /// The proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) that decide, per API, whether
    /// its requests go through a proxy.
    public var proxies: ProxyEnvironment

    public init(
        customerMetadata: APIEndpoint?,
        externalParams: APIEndpoint?,
        timeout: Duration = .seconds(10),
        caFile: String? = nil,
        maxConnectionsPerHost: Int = 64,
        maxResponseBytes: Int = 1 << 20,
        proxies: ProxyEnvironment = .empty
    ) {
        self.customerMetadata = customerMetadata
        self.externalParams = externalParams
        self.timeout = timeout
        self.caFile = caFile
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxResponseBytes = maxResponseBytes
        self.proxies = proxies
    }

    /// How the requests of the API that serves `kind` travel: through which proxy, or directly and
    /// why; `nil` when that API is not configured.
    ///
    /// - Throws: ``APIClientSettingsError`` when the proxy variable for its scheme is not a proxy URL.
    public func proxyDecision(for kind: EventKind) throws -> ProxyDecision? {
        try endpoint(for: kind).map { try proxies.decision(forBaseURL: $0.baseURL) }
    }

    /// The endpoint of the API that serves `kind`.
    public func endpoint(for kind: EventKind) -> APIEndpoint? {
        switch kind {
        case .customerMetadata: return customerMetadata
        case .externalParams: return externalParams
        }
    }
}
