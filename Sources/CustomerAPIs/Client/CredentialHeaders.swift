import NIOHTTP1
import Synchronization

/// The headers every request of one API carries — `host`, its credentials, `content-type` and
/// `accept` — built once, and built again when the API's secret file holds a new secret.
final class CredentialHeaders: Sendable {
    /// The headers for one secret, and the secret's generation (see ``SecretFile/Value``).
    struct Snapshot: Sendable {
        var headers: HTTPHeaders
        /// The secret values these headers carry, to keep out of every message.
        var secretValues: [String]
        var generation: Int
    }

    private let leading: [(name: String, value: String)]
    private let credentials: APICredentials
    private let file: SecretFile?
    /// The headers of the configured secret, when there is no file: read without a lock.
    private let fixed: Snapshot
    /// The headers of the file's secret as last built.
    private let rotating: Mutex<Snapshot>

    /// - Parameters:
    ///   - leading: headers that come first (`host`, a proxy's credentials).
    ///   - credentials: the credentials as configured.
    ///   - file: the file the secret is read from, when it was given as `NAME_FILE`; its content
    ///     replaces the configured secret from the start.
    init(leading: [(name: String, value: String)], credentials: APICredentials, file: SecretFile?) {
        self.leading = leading
        self.credentials = credentials
        self.file = file
        let value = file?.current()
        fixed = Self.build(leading, credentials, secret: value?.secret, generation: value?.generation ?? 0)
        rotating = Mutex(fixed)
    }

    /// Whether the secret can change while the bridge runs.
    var rotates: Bool { file != nil }

    /// The headers to send now: those of the file's current secret when it changed since the last look.
    func current() -> Snapshot {
        guard let file else { return fixed }
        return snapshot(for: file.current())
    }

    /// After the API refused `used` (401/403): the file read again at once, and the headers of its
    /// secret when that differs from the one `used` carried; `nil` when there is nothing new to try.
    func renewed(after used: Snapshot) -> Snapshot? {
        guard let file else { return nil }
        let value = file.reload()
        guard value.generation != used.generation else { return nil }
        return snapshot(for: value)
    }

    private func snapshot(for value: SecretFile.Value) -> Snapshot {
        rotating.withLock { snapshot in
            if snapshot.generation != value.generation {
                snapshot = Self.build(leading, credentials, secret: value.secret, generation: value.generation)
            }
            return snapshot
        }
    }

    private static func build(
        _ leading: [(name: String, value: String)], _ credentials: APICredentials, secret: Secret?, generation: Int
    ) -> Snapshot {
        let effective = secret.map { credentials.replacingSecret(with: $0) } ?? credentials
        var headers = HTTPHeaders()
        for header in leading {
            headers.add(name: header.name, value: header.value)
        }
        for header in effective.headers {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "accept", value: "application/json")
        return Snapshot(headers: headers, secretValues: effective.secretValues, generation: generation)
    }
}

extension APICredentials {
    /// The same credentials with `secret` as the secret (API 1's secret, API 2's token).
    func replacingSecret(with secret: Secret) -> APICredentials {
        switch self {
        case .apiKey(let id, _): .apiKey(id: id, secret: secret)
        case .bearer: .bearer(secret)
        case .none: .none
        }
    }
}
