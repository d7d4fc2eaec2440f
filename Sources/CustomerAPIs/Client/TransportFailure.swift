import NIOCore

/// Failures where no answer came back: a timeout, or a connection that could not be made or broke.
enum TransportFailure {
    /// A transient failure: `TIMEOUT` when time ran out, else `CONNECTION_FAILED`.
    static func classify(_ error: any Error, kind: EventKind, timeout: TimeAmount) -> APIFailure {
        if isTimeout(error) {
            let milliseconds = timeout.nanoseconds / 1_000_000
            return APIFailure(kind: .transient, code: .timeout, message: "no answer from the \(kind.apiName) within \(milliseconds) ms")
        }
        return APIFailure(kind: .transient, code: .connectionFailed, message: "cannot reach the \(kind.apiName): \(String(describing: error))")
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        if let transportError = error as? HTTPTransportError {
            return transportError == .timeout || transportError == .connectTimeout
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return true
        }
        return false
    }
}
