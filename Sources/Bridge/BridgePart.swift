import ServiceLifecycle

/// One supervised part of the running bridge (the HTTP endpoints, the lag sampler, the consuming
/// pipeline) as a `Service` whose `run()` returns only when the bridge is asked to stop
/// (docs/contract.md, "Supervision"). A part that throws, or returns while no
/// stop was asked for, fails with a ``BridgePartFailure`` naming it.
struct BridgePart: Service, CustomStringConvertible {
    let name: String
    private let body: @Sendable () async throws -> Void

    /// - Parameter body: The part's work; it returns after a graceful shutdown or cancellation.
    init(name: String, body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.body = body
    }

    var description: String { name }

    func run() async throws {
        do {
            try await body()
        } catch {
            throw BridgePartFailure(part: name, reason: "\(error)")
        }
        if !Task.isShuttingDownGracefully && !Task.isCancelled {
            throw BridgePartFailure(part: name, reason: "it ended while the bridge was running")
        }
    }
}

/// A part of the bridge failed or ended early; the bridge stops and `run` exits non-zero.
public struct BridgePartFailure: Error, CustomStringConvertible {
    /// The part, e.g. "the HTTP endpoints on port 9090".
    public let part: String
    /// Why, in one line (no secret in it: the parts' errors carry none).
    public let reason: String

    public var description: String { "\(part) failed: \(reason)" }
}
