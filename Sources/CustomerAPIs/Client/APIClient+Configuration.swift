import Foundation
import NIOCore
import NIOSSL

/// A setting the API client cannot work with. Its text never holds a secret.
public struct APIClientSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for an operator.
    public var reason: String

    public var description: String { reason }
}

extension APIClient {
    /// How long an unused connection stays open.
    static let idleConnectionTimeout = TimeAmount.seconds(60)

    /// A pool's configuration: the TLS context for `https`, the proxy, the connection limit, a connect timeout of
    /// the request timeout (at most 10 s), and a deadline check a fifth of the timeout apart (between
    /// 5 ms and 100 ms), so a deadline is enforced at most that late.
    static func poolConfiguration(
        settings: APIClientSettings, timeout: TimeAmount, tls: NIOSSLContext?, proxy: HTTPProxy?
    ) -> HTTPConnectionPool.Configuration {
        let checkInterval: TimeAmount = max(.milliseconds(5), min(.milliseconds(100), .nanoseconds(timeout.nanoseconds / 5)))
        return HTTPConnectionPool.Configuration(
            maxConnections: settings.maxConnectionsPerHost,
            connectTimeout: min(timeout, .seconds(10)),
            limits: HTTPExchangeHandler.Limits(
                maxResponseBytes: settings.maxResponseBytes, checkInterval: checkInterval, idleTimeout: idleConnectionTimeout),
            tls: tls,
            proxy: proxy.map { HTTPConnectionPool.Proxy(host: $0.host, port: $0.port, authorization: $0.basicAuthorization) })
    }

    /// A TLS client context that verifies the server's certificate and name, trusting the system's
    /// roots or, when `caFile` is given, the certificates in it.
    static func tlsContext(caFile: String?) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw APIClientSettingsError(reason: "cannot read CA certificates from \(caFile)")
            }
            guard !certificates.isEmpty else {
                throw APIClientSettingsError(reason: "no CA certificate in \(caFile)")
            }
            tls.trustRoots = .certificates(certificates)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw APIClientSettingsError(reason: "cannot set up TLS: \(error)")
        }
    }

    /// Checks that `baseURL` is an absolute `http` or `https` URL with a host and no credentials,
    /// and splits it.
    static func validate(baseURL: String, kind: EventKind) throws -> HTTPBaseURL {
        guard let url = URL(string: baseURL), let split = HTTPBaseURL(baseURL) else {
            throw APIClientSettingsError(reason: "the \(kind.apiName)'s base URL must be http(s)://host[:port][/path], got '\(baseURL)'")
        }
        guard url.user == nil, url.password == nil else {
            throw APIClientSettingsError(reason: "the \(kind.apiName)'s base URL must not carry credentials")
        }
        return split
    }
}
