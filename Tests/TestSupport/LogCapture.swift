import Logging
import Synchronization

/// Keeps every log line of the loggers made with it, message and metadata, as text.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// Every line so far, oldest first.
    public var all: [String] { lines.withLock { $0 } }

    public init() {}

    /// Keeps `line`.
    public func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    /// A logger whose lines this capture keeps.
    public func logger(label: String = "capture") -> Logger {
        Logger(label: label) { label in CapturingLogHandler(label: label, capture: self) }
    }
}

/// The handler behind ``LogCapture/logger(label:)``: every line, whatever its level, as text.
public struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(label) \(event.message) \(merged)")
    }
}
