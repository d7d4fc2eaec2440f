#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated OS thread for librdkafka calls that block, so they never run on Swift's
/// cooperative pool or a NIO event loop.
final class KafkaThread: Sendable {
    fileprivate let thread: ThreadID

    /// Starts `body` on a new thread named `name` (at most 15 characters, as `top -H` and perf show it).
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        var id = pthread_t()
        let result = pthread_create(&id, nil, { raw in
            let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
            #if canImport(Glibc)
            _ = setThreadName(pthread_self(), String(body.name.prefix(15)))
            #endif
            body.body()
            return nil
        }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")  // resource exhaustion, not input
        thread = ThreadID(id: id)
    }

    /// Waits for the thread to end. Call once, from another thread.
    func join() {
        _ = pthread_join(thread.id, nil)
    }
}

/// Safety of `@unchecked Sendable`: a `pthread_t` is an identifier, valid on any thread.
fileprivate struct ThreadID: @unchecked Sendable {
    let id: pthread_t
}

private final class ThreadBody {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

extension KafkaThread {
    /// Lets the thread free its resources when it ends; never `join` it afterwards.
    func detach() {
        _ = pthread_detach(thread.id)
    }
}

#if canImport(Glibc)
/// glibc's `pthread_setname_np`, which the Glibc module hides (it needs `_GNU_SOURCE`).
@_silgen_name("pthread_setname_np")
private func setThreadName(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32
#endif
