import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to the two APIs over pooled, kept-alive HTTP/1.1 connections and classifies
/// every answer.
///
/// TLS certificates are verified, redirects are never followed (so credentials never reach another
/// host), each request has a deadline covering the whole answer, and answer bodies are read up to
/// a limit. Both APIs share one pool when they share a host and port. An API goes through the
/// proxy the conventional proxy variables name for its base URL (decided once, at start-up):
/// `https` is tunnelled with CONNECT, `http` requests go to the proxy with absolute targets.
///
/// A secret given as a file (`NAME_FILE`) is read again when the file changes and when the API
/// answers 401 or 403; a changed secret is used at once, with one immediate retry.
///
/// - Important: Call ``shutdown()`` before the last reference goes away.
public final class APIClient: Sendable {
    private let routes: [EventKind: Route]
    private let pools: [HTTPConnectionPool]
    private let timeout: TimeAmount

    /// One configured API: where its requests go, how, and the headers every request carries.
    struct Route: Sendable {
        var pool: HTTPConnectionPool
        /// What precedes a request path in the request target: the base URL's path, or for a
        /// plain-http request through a proxy the whole base URL (absolute form).
        var targetPrefix: String
        /// `host`, the credentials (built again when the secret file changes), `content-type`, `accept`.
        var headers: CredentialHeaders
        /// The proxy the requests go through, if any.
        var proxy: HTTPProxy?
    }

    /// Creates the client; unconfigured APIs answer every request with an outage (`API_NOT_CONFIGURED`).
    ///
    /// - Throws: ``APIClientSettingsError`` for a base URL that is not `http(s)://host…`, a bad
    ///   timeout or connection limit, a CA file that cannot be read, or a proxy variable that is
    ///   not a proxy URL; ``SecretLoadingError`` for a secret file that cannot be read.
    public init(settings: APIClientSettings) throws {
        guard settings.timeout > .zero else {
            throw APIClientSettingsError(reason: "the HTTP timeout must be positive")
        }
        guard settings.maxConnectionsPerHost > 0, settings.maxResponseBytes > 0 else {
            throw APIClientSettingsError(reason: "the connection limit and the response body limit must be positive")
        }
        let timeout = TimeAmount(settings.timeout)
        let baseURLs = try EventKind.allCases.compactMap { kind in
            try settings.endpoint(for: kind).map { (kind, $0, try Self.validate(baseURL: $0.baseURL, kind: kind)) }
        }
        // One TLS context for every https origin; a CA file is checked even when no API uses https yet.
        let tls = settings.caFile != nil || baseURLs.contains { $0.2.origin.usesTLS } ? try Self.tlsContext(caFile: settings.caFile) : nil
        var pools: [HTTPOrigin: HTTPConnectionPool] = [:]
        var routes: [EventKind: Route] = [:]
        for (kind, endpoint, baseURL) in baseURLs {
            // The same origin always gets the same decision, so APIs sharing a host share a pool.
            let proxy = try settings.proxies.decision(forBaseURL: endpoint.baseURL).proxy
            let pool = pools[baseURL.origin] ?? HTTPConnectionPool(
                origin: baseURL.origin,
                configuration: Self.poolConfiguration(
                    settings: settings, timeout: timeout, tls: baseURL.origin.usesTLS ? tls : nil, proxy: proxy))
            pools[baseURL.origin] = pool
            var leading = [(name: "host", value: baseURL.origin.hostHeader)]
            var targetPrefix = baseURL.pathPrefix
            if let proxy, !baseURL.origin.usesTLS {
                // A plain-http request through a proxy names the whole URL and carries the proxy's credentials.
                targetPrefix = "http://" + baseURL.origin.hostHeader + baseURL.pathPrefix
                if let authorization = proxy.basicAuthorization { leading.append((name: "proxy-authorization", value: authorization)) }
            }
            let file = try endpoint.secretFile.map { try SecretFile(path: $0, variable: kind.secretFileVariable) }
            routes[kind] = Route(
                pool: pool, targetPrefix: targetPrefix,
                headers: CredentialHeaders(leading: leading, credentials: endpoint.credentials, file: file), proxy: proxy)
        }
        self.routes = routes
        self.pools = Array(pools.values)
        self.timeout = timeout
    }

    /// Sends `request` to its API and classifies the answer (docs/contract.md, "Outcomes").
    ///
    /// Sends the API's credentials, `content-type: application/json`, `correlation-id` and, when
    /// given, `traceparent`; no other record header. When the API answers 401 or 403 and its secret
    /// file now holds a different secret, the request is sent once more at once with it.
    ///
    /// Never throws for HTTP or connection problems: they are outcomes.
    /// - Throws: `CancellationError` only, when the calling task is cancelled.
    public func send(_ request: APIRequest, correlationID: String, traceparent: String?) async throws -> APIOutcome {
        try Task.checkCancellation()
        guard let route = routes[request.kind] else {
            return .failure(APIFailure(
                kind: .outage, code: .apiNotConfigured,
                message: "the \(request.kind.apiName) is not configured (no base URL)"
            ))
        }
        let headers = route.headers.current()
        let outcome = try await send(request, route: route, headers: headers, correlationID: correlationID, traceparent: traceparent)
        guard case .failure(let failure) = outcome, failure.kind == .outage, failure.httpStatus == 401 || failure.httpStatus == 403,
              let renewed = route.headers.renewed(after: headers)
        else { return outcome }
        return try await send(request, route: route, headers: renewed, correlationID: correlationID, traceparent: traceparent)
    }

    /// One attempt with the given headers.
    private func send(
        _ request: APIRequest, route: Route, headers fixed: CredentialHeaders.Snapshot, correlationID: String, traceparent: String?
    ) async throws -> APIOutcome {
        var headers = fixed.headers
        headers.add(name: "content-length", value: String(request.body.count))
        headers.add(name: "correlation-id", value: Self.headerSafe(correlationID))
        if let traceparent {
            headers.add(name: "traceparent", value: Self.headerSafe(traceparent))
        }
        let exchange = HTTPExchangeRequest(
            method: HTTPMethod(rawValue: request.method), target: route.targetPrefix + request.path, headers: headers,
            body: ByteBuffer(bytes: request.body))
        let outcome: APIOutcome
        do {
            let response = try await route.pool.execute(exchange, deadline: .now() + timeout)
            if let proxy = route.proxy, let failure = ProxyFailure.outage(forStatus: response.status, proxy: proxy, kind: request.kind) {
                outcome = .failure(failure)
            } else {
                let answer = APIAnswer(status: response.status, retryAfter: response.retryAfter, body: response.body)
                outcome = AnswerClassifier.classify(answer, kind: request.kind)
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if let proxy = route.proxy, let failure = ProxyFailure.outage(for: error, proxy: proxy, kind: request.kind) {
                outcome = .failure(failure)
            } else {
                outcome = .failure(TransportFailure.classify(error, kind: request.kind, timeout: timeout))
            }
        }
        return Self.redacting(fixed.secretValues + (route.proxy?.secretValues ?? []), from: outcome)
    }

    /// Closes every pooled connection. Call once, when no `send` is running any more.
    public func shutdown() async throws {
        for pool in pools {
            await pool.shutdown()
        }
    }

    /// Record header text without control characters, so it cannot split or forge HTTP headers.
    static func headerSafe(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }

    /// The outcome with every secret value in its message replaced by `******`.
    static func redacting(_ secrets: [String], from outcome: APIOutcome) -> APIOutcome {
        guard case .failure(var failure) = outcome, !secrets.isEmpty else { return outcome }
        for secret in secrets {
            failure.message = failure.message.replacingOccurrences(of: secret, with: "******")
            failure.code = failure.code.replacingOccurrences(of: secret, with: "******")
        }
        return .failure(failure)
    }
}

extension EventKind {
    /// The variable that names the file of the API's secret.
    var secretFileVariable: String {
        switch self {
        case .customerMetadata: "ASAPP_API_SECRET_FILE"
        case .externalParams: "EXTERNAL_PARAMS_TOKEN_FILE"
        }
    }
}
