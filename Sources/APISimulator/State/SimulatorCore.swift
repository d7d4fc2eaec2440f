import NIOCore
import Synchronization

/// The simulator's shared state and the decisions taken under its lock.
///
/// Each request takes the lock at most twice, briefly: once to learn the credentials, the
/// latency and any fault, once to record its outcome.
final class SimulatorCore: Sendable {
    /// The largest request body read; a larger one is answered 413.
    static let maximumBodyBytes = 1 << 20

    let initialCredentials: SimulatorCredentials
    let recording: SimulatorRecording
    let answerIds = AnswerIDGenerator()
    /// The time fault durations are measured on; tests inject a manual one.
    let now: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<SimulatorState>

    init(
        credentials: SimulatorCredentials, recording: SimulatorRecording,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.initialCredentials = credentials
        self.recording = recording
        self.now = now
        self.state = Mutex(SimulatorState(credentials: credentials, recording: recording))
    }

    /// What a request needs to know before it is answered.
    struct Admission {
        let credentials: SimulatorCredentials
        let latency: Duration?
        let fault: SimulatorFault.Action?
    }

    func admit(_ api: SimulatedAPI, path: String, body: ByteBuffer) -> Admission {
        state.withLock { state in
            let fault = state.faults.isEmpty ? nil : state.takeFault(for: api, path: path, body: body, now: now())
            return Admission(credentials: state.credentials, latency: state.latency[api], fault: fault)
        }
    }

    /// Counts an answer that accepted nothing.
    func recordAnswer(_ api: SimulatedAPI, status: Int) {
        state.withLock { $0.stats.recordAnswer(api, status: status) }
    }

    /// Counts a dropped connection.
    func recordDrop(_ api: SimulatedAPI) {
        state.withLock { $0.stats.recordDrop(api) }
    }

    /// Records an accepted request; `false` (and a 409 counted) when its API 1 event id was
    /// already ingested. `makeRecord` runs only when requests are being recorded.
    func accept(_ api: SimulatedAPI, eventId: String?, makeRecord: () -> AcceptedRequest) -> Bool {
        let record: AcceptedRequest? = recording.requestCapacity == 0 ? nil : makeRecord()
        return state.withLock { state in
            if let eventId, !state.ingestedEventIds.insert(eventId) {
                state.stats.recordAnswer(api, status: 409)
                return false
            }
            state.stats.recordAnswer(api, status: 200)
            if let record { state.accepted[api]?.append(record) }
            return true
        }
    }

    func addFault(_ fault: SimulatorFault) {
        let now = self.now()
        state.withLock { $0.faults.append(.init(fault, now: now)) }
    }

    func clearFaults() {
        state.withLock { $0.faults.removeAll() }
    }

    var activeFaults: [SimulatorFault] {
        let now = self.now()
        return state.withLock { state in
            state.faults.filter { !$0.isExpired(at: now) }.map(\.fault)
        }
    }

    func setLatency(_ latency: Duration, api: SimulatedAPI?) {
        state.withLock { state in
            for target in api.map({ [$0] }) ?? SimulatedAPI.allCases {
                state.latency[target] = latency > .zero ? latency : nil
            }
        }
    }

    func rotateCredentials(_ credentials: SimulatorCredentials) {
        state.withLock { $0.credentials = credentials }
    }

    func accepted(_ api: SimulatedAPI) -> [AcceptedRequest] {
        state.withLock { $0.accepted[api]?.elements ?? [] }
    }

    func stats() -> SimulatorStats {
        state.withLock { $0.stats }
    }

    func reset() {
        state.withLock { [initialCredentials, recording] in
            $0 = SimulatorState(credentials: initialCredentials, recording: recording)
        }
    }
}
