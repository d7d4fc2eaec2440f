import Bridge
import Foundation
import Kafka
import Synchronization

/// End-to-end latencies of a paced bench run: when each input record was produced, and when the
/// bridge completed it (its reply's `completedAt`).
final class LatencyRecorder: Sendable {
    private struct State {
        var produced: [String: Int64] = [:]  // "partition/offset" → produce time (ms)
        var completed: [String: Int64] = [:]  // "partition/offset" → completedAt (ms)
    }

    private let state = Mutex(State())

    func produced(partition: Int32, offset: Int64, at milliseconds: Int64) {
        state.withLock { $0.produced["\(partition)/\(offset)"] = milliseconds }
    }

    /// Records a reply read from the reply topic.
    func replied(_ reply: KafkaRecord) {
        guard let value = reply.value,
            let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
            let source = json["source"] as? [String: Any],
            let partition = source["partition"] as? Int, let offset = source["offset"] as? Int,
            let completedAt = (json["completedAt"] as? String).flatMap(Timestamp.init(rfc3339:))
        else { return }
        state.withLock { $0.completed["\(partition)/\(offset)"] = completedAt.milliseconds }
    }

    var repliedCount: Int { state.withLock { $0.completed.count } }

    /// p50, p99 and p999 of the latencies in milliseconds, over events with both times.
    func percentiles() -> (p50: Int64, p99: Int64, p999: Int64)? {
        let latencies = state.withLock { state in
            state.completed.compactMap { key, done in state.produced[key].map { done - $0 } }
        }.sorted()
        guard !latencies.isEmpty else { return nil }
        func at(_ fraction: Double) -> Int64 {
            latencies[min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.down)))]
        }
        return (at(0.5), at(0.99), at(0.999))
    }
}

/// A progress line: a bar redrawn in place on a terminal, a plain line every few seconds otherwise.
struct ProgressLine {
    let total: Int
    let onTerminal = isatty(STDOUT_FILENO) == 1
    private var lastPrint = ContinuousClock.now

    init(total: Int) {
        self.total = total
    }

    mutating func update(_ done: Int, _ label: String) {
        if onTerminal {
            let width = 30
            let filled = total > 0 ? min(width, done * width / total) : 0
            let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) \(label)"
            FileHandle.standardOutput.write(Data(line.utf8))
        } else if ContinuousClock.now - lastPrint > .seconds(3) {
            print("  \(done) / \(total) \(label)")
            lastPrint = .now
        }
    }

    func finish() {
        if onTerminal { print("") }
    }
}
