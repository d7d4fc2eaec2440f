import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to the two APIs over pooled, kept-alive HTTP/1.1 connections and classifies
/// every answer.
///
/// TLS certificates are verified, redirects are never followed (so credentials never reach another
/// host), each request has a deadline covering the whole answer, and answer bodies are read up to
/// a limit. Both APIs share one pool when they share a host and port.
///
/// - Important: Call ``shutdown()`` before the last reference goes away.
public final class APIClient: Sendable {
    private let routes: [EventKind: Route]
    private let pools: [HTTPConnectionPool]
    private let timeout: TimeAmount

    /// One configured API: where its requests go, the headers every request carries, and the
    /// secrets to keep out of messages.
    struct Route: Sendable {
        var pool: HTTPConnectionPool
        var pathPrefix: String
        /// `host`, the credentials, `content-type` and `accept`, built once.
        var fixedHeaders: HTTPHeaders
        var secretValues: [String]
    }

    /// Creates the client; unconfigured APIs answer every request with an outage (`API_NOT_CONFIGURED`).
    ///
    /// - Throws: ``APIClientSettingsError`` for a base URL that is not `http(s)://host…`, a bad
    ///   timeout or connection limit, or a CA file that cannot be read.
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
            let pool = pools[baseURL.origin] ?? HTTPConnectionPool(
                origin: baseURL.origin,
                configuration: Self.poolConfiguration(settings: settings, timeout: timeout, tls: baseURL.origin.usesTLS ? tls : nil))
            pools[baseURL.origin] = pool
            var headers = HTTPHeaders()
            headers.add(name: "host", value: baseURL.origin.hostHeader)
            for header in endpoint.credentials.headers {
                headers.add(name: header.name, value: header.value)
            }
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "accept", value: "application/json")
            routes[kind] = Route(
                pool: pool, pathPrefix: baseURL.pathPrefix, fixedHeaders: headers, secretValues: endpoint.credentials.secretValues)
        }
        self.routes = routes
        self.pools = Array(pools.values)
        self.timeout = timeout
    }

    /// Sends `request` to its API and classifies the answer (CONTRACT section 3).
    ///
    /// Sends the API's credentials, `content-type: application/json`, `correlation-id` and, when
    /// given, `traceparent`; no other record header.
    ///
    /// Never throws for HTTP or connection problems: they are outcomes.
    /// - Throws: `CancellationError` only, when the calling task is cancelled.
    public func send(_ request: APIRequest, correlationID: String, traceparent: String?) async throws -> APIOutcome {
        try Task.checkCancellation()
        guard let route = routes[request.kind] else {
            return .failure(APIFailure(
                kind: .outage, code: "API_NOT_CONFIGURED",
                message: "the \(request.kind.apiName) is not configured (no base URL)"
            ))
        }
        var headers = route.fixedHeaders
        headers.add(name: "content-length", value: String(request.body.count))
        headers.add(name: "correlation-id", value: Self.headerSafe(correlationID))
        if let traceparent {
            headers.add(name: "traceparent", value: Self.headerSafe(traceparent))
        }
        let exchange = HTTPExchangeRequest(
            method: HTTPMethod(rawValue: request.method), target: route.pathPrefix + request.path, headers: headers,
            body: ByteBuffer(bytes: request.body))
        let outcome: APIOutcome
        do {
            let response = try await route.pool.execute(exchange, deadline: .now() + timeout)
            let answer = APIAnswer(status: response.status, retryAfter: response.retryAfter, body: response.body)
            outcome = AnswerClassifier.classify(answer, kind: request.kind)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            outcome = .failure(TransportFailure.classify(error, kind: request.kind, timeout: timeout))
        }
        return Self.redacting(route.secretValues, from: outcome)
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
