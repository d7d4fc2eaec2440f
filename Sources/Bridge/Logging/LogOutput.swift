import Foundation
import Synchronization

/// Where log lines go: standard error in the service, a buffer in tests.
public struct LogOutput: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// An output that hands each complete line (without its newline) to `writeLine`.
    ///
    /// - Important: `writeLine` is called from any thread, concurrently; it must be thread-safe.
    public init(writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    /// Writes one line.
    func write(_ line: String) {
        writeLine(line)
    }

    /// Standard error, one `write` per line under a lock, so lines from concurrent tasks never interleave.
    /// Standard output stays free for what commands print (`check-config`'s listing, the demo's tables).
    public static let standardError = LogOutput { line in
        LineWriter.standardError.write(line)
    }

    /// Standard output, one `write` per line under a lock: for what a command prints as its result.
    public static let standardOutput = LogOutput { line in
        LineWriter.standardOutput.write(line)
    }
}

/// Serialises whole-line writes to one file handle.
private final class LineWriter: Sendable {
    static let standardError = LineWriter(handle: .standardError)
    static let standardOutput = LineWriter(handle: .standardOutput)

    private let lock = Mutex(())
    private let handle: FileHandle

    private init(handle: FileHandle) {
        self.handle = handle
    }

    func write(_ line: String) {
        let data = Data((line + "\n").utf8)
        lock.withLock { _ in
            handle.write(data)
        }
    }
}
