/// Fault injection, credentials and what the simulator saw: the Swift side of `/_control/`.
extension APISimulator {
    /// Adds a fault after those already active.
    public func addFault(_ fault: SimulatorFault) {
        core.addFault(fault)
    }

    /// Removes every fault.
    public func clearFaults() {
        core.clearFaults()
    }

    /// Delays every answer of `api` (both when `nil`) by `latency`; `.zero` removes the delay.
    public func setLatency(_ latency: Duration, api: SimulatedAPI? = nil) {
        core.setLatency(latency, api: api)
    }

    /// Accepts only `credentials` from now on; requests with the old ones are answered 401.
    public func rotateCredentials(_ credentials: SimulatorCredentials) {
        core.rotateCredentials(credentials)
    }

    /// The requests `api` accepted, oldest first (empty when recording is off).
    public func accepted(_ api: SimulatedAPI) -> [AcceptedRequest] {
        core.accepted(api)
    }

    /// Answers per API and status, and dropped connections.
    public func stats() -> SimulatorStats {
        core.stats()
    }

    /// Forgets faults, latency, recorded requests, stats and ingested event ids, and accepts
    /// the credentials given at `init` again.
    public func reset() {
        core.reset()
    }
}
