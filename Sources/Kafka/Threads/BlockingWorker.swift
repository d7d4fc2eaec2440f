import Synchronization

/// One dedicated thread that runs blocking librdkafka calls (commit, committed offsets, flush)
/// for async callers, so those calls never occupy the cooperative pool.
final class BlockingWorker: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopping = false
    }

    /// What the worker thread and callers share.
    private final class Shared: Sendable {
        let state = PThreadLock(State())
        let wakeup = ThreadSignal()
    }

    private let shared = Shared()
    private let thread: KafkaThread

    /// Starts the worker thread.
    init(name: String) {
        let shared = self.shared
        thread = KafkaThread(name: name) {
            while true {
                let (jobs, stopping) = shared.state.withLock { state in
                    let jobs = state.jobs
                    state.jobs.removeAll()
                    return (jobs, state.stopping)
                }
                for job in jobs { job() }
                if jobs.isEmpty {
                    if stopping { return }
                    shared.wakeup.wait()
                }
            }
        }
    }

    /// Runs `job` on the worker thread and returns its result, or `nil` once the worker stopped.
    func run<T: Sendable>(_ job: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let accepted = shared.state.withLock { state in
                guard !state.stopping else { return false }
                state.jobs.append { continuation.resume(returning: job()) }
                return true
            }
            if accepted { shared.wakeup.signal() } else { continuation.resume(returning: nil) }
        }
    }

    /// Runs the jobs already queued, refuses new ones, and joins the thread. Call once, from a dedicated thread.
    func stopAndJoin() {
        shared.state.withLock { $0.stopping = true }
        shared.wakeup.signal()
        thread.join()
    }
}
