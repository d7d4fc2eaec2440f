/// Polls `condition` every `interval` until it holds or `timeout` passes; whether it held (the
/// last look is taken at the deadline).
public func eventually(
    within timeout: Duration, every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
