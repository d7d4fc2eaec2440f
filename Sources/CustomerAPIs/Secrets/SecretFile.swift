import Foundation
import Synchronization

/// A secret mounted as a file (`NAME_FILE`), read again when the file changes, so that a rotated
/// secret is used without a restart.
///
/// ``current(now:)`` looks at the file's identity (device, inode, size, modification and change
/// times, following symbolic links as Kubernetes' atomic secret updates need) at most once per
/// `checkInterval`, and reads the file again only when that changed. ``reload()`` reads it at
/// once, for when an API refused the secret. Each different value gets a new generation number,
/// so a caller can tell whether the value changed since it took one.
///
/// The line breaks at the file's end are dropped. A file that cannot be read (in the middle of a
/// rotation, say) keeps the last good value.
public final class SecretFile: Sendable {
    /// The file's path.
    public let path: String
    private let checkInterval: Duration
    private let state: Mutex<State>

    /// The secret as last read, and its generation.
    public struct Value: Sendable, Equatable {
        public var secret: Secret
        /// Starts at 0 and goes up by one each time a read finds a different secret.
        public var generation: Int
    }

    private struct State {
        var value: Value
        var identity: FileIdentity?
        var lastCheck: ContinuousClock.Instant
    }

    /// Reads the file once.
    ///
    /// - Throws: ``SecretLoadingError`` when it cannot be read or is not UTF-8 (named by `variable`).
    public init(path: String, variable: String, checkInterval: Duration = .seconds(1)) throws {
        self.path = path
        self.checkInterval = checkInterval
        let identity = FileIdentity(path: path)
        let secret = try Self.read(path: path, variable: variable)
        state = Mutex(State(value: Value(secret: secret, generation: 0), identity: identity, lastCheck: .now))
    }

    /// The secret, read again first when the file changed and the last look is `checkInterval` old.
    public func current(now: ContinuousClock.Instant = .now) -> Value {
        let due = state.withLock { state -> FileIdentity?? in
            guard now - state.lastCheck >= checkInterval else { return .none }
            state.lastCheck = now
            return .some(state.identity)
        }
        guard case .some(let known) = due else { return state.withLock { $0.value } }
        let identity = FileIdentity(path: path)
        if identity != nil, identity == known { return state.withLock { $0.value } }
        return reload()
    }

    /// Reads the file now and returns the secret; a different one gets a new generation.
    @discardableResult
    public func reload() -> Value {
        let identity = FileIdentity(path: path)
        guard let secret = try? Self.read(path: path, variable: path) else {
            return state.withLock { $0.value }
        }
        return state.withLock { state in
            state.identity = identity
            state.lastCheck = .now
            if secret != state.value.secret {
                state.value = Value(secret: secret, generation: state.value.generation + 1)
            }
            return state.value
        }
    }

    /// Reads a secret file and drops the line breaks at its end.
    static func read(path: String, variable: String) throws -> Secret {
        var text = try readText(path: path, variable: variable)
        // As the settings read a `NAME_FILE`: every line break at the end goes ("\r\n" is one Character).
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" {
            text.removeLast()
        }
        return Secret(text)
    }

    /// A secret file's whole text.
    /// - Throws: ``SecretLoadingError`` named by `variable` when it cannot be read or is not UTF-8.
    static func readText(path: String, variable: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SecretLoadingError(name: variable, reason: "cannot read the file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SecretLoadingError(name: variable, reason: "the file \(path) is not UTF-8 text")
        }
        return text
    }
}

/// What tells one version of a file from another without reading it.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification and status-change times, in nanoseconds.
    var modified: Int64
    var changed: Int64

    /// The identity of the file at `path` (its symbolic links followed), `nil` when it cannot be stat'ed.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_ctim.tv_nsec)
    }
}
