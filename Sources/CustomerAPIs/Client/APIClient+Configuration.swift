import AsyncHTTPClient
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
    /// The shared HTTP client's configuration: verified TLS, no redirects, pooled keep-alive connections.
    static func httpConfiguration(settings: APIClientSettings, timeout: TimeAmount) throws -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile = settings.caFile {
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
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: min(timeout, .seconds(10)), read: timeout),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: settings.maxConnectionsPerHost
            ),
            decompression: .disabled
        )
        configuration.httpVersion = .automatic
        return configuration
    }

    /// Checks that `baseURL` is an absolute `http` or `https` URL with a host.
    static func validate(baseURL: String, kind: EventKind) throws {
        guard let url = URL(string: baseURL),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw APIClientSettingsError(reason: "the \(kind.apiName)'s base URL must be http(s)://host[:port][/path], got '\(baseURL)'")
        }
        guard url.user == nil, url.password == nil else {
            throw APIClientSettingsError(reason: "the \(kind.apiName)'s base URL must not carry credentials")
        }
    }
}
