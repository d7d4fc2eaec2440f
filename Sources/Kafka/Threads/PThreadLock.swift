#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a POSIX mutex.
///
/// Used instead of `Synchronization.Mutex` because ThreadSanitizer understands `pthread_mutex_t`
/// (it intercepts it), so `-sanitize=thread` runs check this layer's locking for real.
///
/// Safety of `@unchecked Sendable`: `value` is only read or written inside `withLock`, with the
/// mutex held; the mutex is allocated once and destroyed in `deinit`, when no thread can hold it.
final class PThreadLock<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
