import NIOCore

/// Everything the simulator changes while it runs, guarded by one mutex in `SimulatorCore`.
struct SimulatorState {
    /// A fault as added, with what is left of it.
    struct ActiveFault {
        let fault: SimulatorFault
        var remaining: Int?
        let deadline: ContinuousClock.Instant?

        init(_ fault: SimulatorFault, now: ContinuousClock.Instant) {
            self.fault = fault
            switch fault.extent {
            case .next(let count):
                remaining = count
                deadline = nil
            case .duration(let duration):
                remaining = nil
                deadline = now.advanced(by: duration)
            }
        }

        func isExpired(at now: ContinuousClock.Instant) -> Bool {
            if let remaining, remaining <= 0 { return true }
            if let deadline, now >= deadline { return true }
            return false
        }

        func applies(to api: SimulatedAPI, path: String, body: ByteBuffer) -> Bool {
            if let only = fault.api, only != api { return false }
            guard let matching = fault.matching, !matching.isEmpty else { return true }
            return path.contains(matching) || body.containsBytes(of: matching)
        }
    }

    var credentials: SimulatorCredentials
    var latency: [SimulatedAPI: Duration] = [:]
    var faults: [ActiveFault] = []
    var stats = SimulatorStats()
    var accepted: [SimulatedAPI: RingLog<AcceptedRequest>]
    var ingestedEventIds: BoundedIDSet

    init(credentials: SimulatorCredentials, recording: SimulatorRecording) {
        self.credentials = credentials
        self.accepted = [
            .customerMetadata: RingLog(capacity: recording.requestCapacity),
            .externalParams: RingLog(capacity: recording.requestCapacity),
        ]
        self.ingestedEventIds = BoundedIDSet(capacity: recording.eventIdCapacity)
    }

    /// Takes the first fault that applies to a request, using up one of its count.
    mutating func takeFault(for api: SimulatedAPI, path: String, body: ByteBuffer, now: ContinuousClock.Instant) -> SimulatorFault.Action? {
        faults.removeAll { $0.isExpired(at: now) }
        guard let position = faults.firstIndex(where: { $0.applies(to: api, path: path, body: body) }) else {
            return nil
        }
        let action = faults[position].fault.action
        if let remaining = faults[position].remaining {
            faults[position].remaining = remaining - 1
            if remaining <= 1 { faults.remove(at: position) }
        }
        return action
    }
}

extension ByteBuffer {
    /// Whether the readable bytes contain `text`'s UTF-8 bytes.
    func containsBytes(of text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty else { return true }
        return withUnsafeReadableBytes { haystack in
            guard haystack.count >= needle.count else { return false }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            return false
        }
    }
}
