import Synchronization

/// A one-shot event async callers wait for, opened once from any thread: ``wait()`` returns
/// once ``open()`` was called, before or after.
///
/// The Kafka clients open one when they have closed; the bridge service opens one to start its
/// shutdown.
public final class AsyncLatch: Sendable {
    private enum State {
        case closed([CheckedContinuation<Void, Never>])
        case open
    }

    private let state = PThreadLock(State.closed([]))

    /// A closed latch.
    public init() {}

    /// Opens the latch and resumes every waiter; later calls do nothing.
    public func open() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard case .closed(let waiters) = state else { return [] }
            state = .open
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is open.
    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                guard case .closed(var waiters) = state else { return true }
                waiters.append(continuation)
                state = .closed(waiters)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }
}
