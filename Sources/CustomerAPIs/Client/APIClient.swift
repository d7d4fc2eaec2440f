import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to the two APIs over one shared, pooled `HTTPClient` and classifies every answer.
///
/// TLS certificates are verified, redirects are never followed (so credentials never reach another
/// host), each request has a deadline, and answer bodies are read up to a limit.
///
/// - Important: Call ``shutdown()`` before the last reference goes away.
public final class APIClient: Sendable {
    private let httpClient: HTTPClient
    private let routes: [EventKind: Route]
    private let timeout: TimeAmount
    private let maxResponseBytes: Int

    /// One configured API: its base URL, the headers every request carries, and the secrets to keep out of messages.
    struct Route: Sendable {
        var baseURL: String
        var credentialHeaders: [(name: String, value: String)]
        var secretValues: [String]
    }

    /// Creates the client; unconfigured APIs answer every request with an outage (`API_NOT_CONFIGURED`).
    ///
    /// - Throws: ``APIClientSettingsError`` for a base URL that is not `http(s)://host…`, a bad
    ///   timeout or connection limit, or a CA file that cannot be read.
    public init(settings: APIClientSettings) throws {
        var routes: [EventKind: Route] = [:]
        for kind in EventKind.allCases {
            guard let endpoint = settings.endpoint(for: kind) else { continue }
            try Self.validate(baseURL: endpoint.baseURL, kind: kind)
            routes[kind] = Route(
                baseURL: endpoint.baseURL,
                credentialHeaders: endpoint.credentials.headers,
                secretValues: endpoint.credentials.secretValues
            )
        }
        guard settings.timeout > .zero else {
            throw APIClientSettingsError(reason: "the HTTP timeout must be positive")
        }
        guard settings.maxConnectionsPerHost > 0, settings.maxResponseBytes > 0 else {
            throw APIClientSettingsError(reason: "the connection limit and the response body limit must be positive")
        }
        let timeout = TimeAmount(settings.timeout)
        let configuration = try Self.httpConfiguration(settings: settings, timeout: timeout)

        self.routes = routes
        self.timeout = timeout
        self.maxResponseBytes = settings.maxResponseBytes
        // Created last: an HTTPClient must be shut down, so nothing may throw after it exists.
        self.httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
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
        let httpRequest = makeHTTPRequest(request, route: route, correlationID: correlationID, traceparent: traceparent)
        let outcome: APIOutcome
        let deadline = ContinuousClock.now.advanced(by: .nanoseconds(timeout.nanoseconds))
        do {
            // AsyncHTTPClient's deadline ends with the response head; the body gets the rest of it below.
            let response = try await httpClient.execute(httpRequest, deadline: .now() + timeout)
            let body = try await collectBody(of: response, before: deadline)
            let answer = APIAnswer(status: Int(response.status.code), retryAfter: response.headers.first(name: "retry-after"), body: body)
            outcome = AnswerClassifier.classify(answer, kind: request.kind)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            outcome = .failure(TransportFailure.classify(error, kind: request.kind, timeout: timeout))
        }
        return Self.redacting(route.secretValues, from: outcome)
    }

    /// Reads the answer body up to the size limit (`nil` beyond it), giving up at `deadline`.
    ///
    /// The deadline is checked as each chunk arrives, and a connection that goes quiet is cut by
    /// the client's read timeout, so a body trickling in cannot outlast the request's time. (A
    /// timer racing the read would cost a task group and a timer per request on the hot path.)
    private func collectBody(of response: HTTPClientResponse, before deadline: ContinuousClock.Instant) async throws -> [UInt8]? {
        var bytes: [UInt8] = []
        for try await chunk in response.body {
            guard bytes.count + chunk.readableBytes <= maxResponseBytes else { return nil }
            bytes.append(contentsOf: chunk.readableBytesView)
            if ContinuousClock.now > deadline { throw HTTPClientError.deadlineExceeded }
        }
        return bytes
    }

    /// Closes every pooled connection. Call once, when no `send` is running any more.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    private func makeHTTPRequest(_ request: APIRequest, route: Route, correlationID: String, traceparent: String?) -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: route.baseURL + request.path)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for header in route.credentialHeaders {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        httpRequest.headers.add(name: "content-type", value: "application/json")
        httpRequest.headers.add(name: "accept", value: "application/json")
        httpRequest.headers.add(name: "correlation-id", value: Self.headerSafe(correlationID))
        if let traceparent {
            httpRequest.headers.add(name: "traceparent", value: Self.headerSafe(traceparent))
        }
        httpRequest.body = .bytes(ByteBuffer(bytes: request.body))
        return httpRequest
    }

    /// Record header text without control characters, so it cannot split or forge HTTP headers.
    static func headerSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
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
