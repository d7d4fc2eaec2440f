/// One API's circuit: whether requests may go to it, as docs/contract.md, "Circuit", says.
///
/// It opens on any outage answer (401, 403, an unconfigured API), on `threshold` transient failures
/// in a row, and when an event runs out of attempts while the API answered no other request
/// successfully since that event's first attempt. While open it grants one probe per
/// `probeInterval`; a success closes it, and so does a probe answered with a permanent failure: the
/// API is judging events again (the probe's own event keeps its outcome). A value type without I/O:
/// the caller passes the time.
public struct CircuitBreaker: Sendable {
    /// What the caller may do now.
    public enum Permit: Sendable, Equatable {
        /// The circuit is closed: send.
        case send
        /// The circuit is open and a probe is due: send this one request to test the API.
        case probe
        /// The circuit is open: send nothing before `until`, then ask again.
        case wait(until: ContinuousClock.Instant)
    }

    /// A change of state the caller should act on (pause or resume the API's topics, log, export a metric).
    public enum Transition: Sendable, Equatable {
        /// The circuit opened, for `reason` (no secret in it).
        case opened(reason: String)
        /// A success, or a probe's permanent failure, closed the circuit.
        case closed
    }

    private enum State: Sendable, Equatable {
        case closed
        case open(reason: String, nextProbe: ContinuousClock.Instant)
    }

    /// Transient failures in a row that open the circuit (`BRIDGE_CIRCUIT_THRESHOLD`, 20).
    public let threshold: Int
    /// The time between probes while open (`BRIDGE_CIRCUIT_PROBE_S`, 5 s).
    public let probeInterval: Duration

    private var state: State = .closed
    private var transientInARow = 0
    private var lastSuccess: ContinuousClock.Instant?

    /// - Parameters:
    ///   - threshold: Transient failures in a row that open the circuit; at least 1.
    ///   - probeInterval: The time between probes while open.
    public init(threshold: Int, probeInterval: Duration) {
        self.threshold = max(threshold, 1)
        self.probeInterval = max(probeInterval, .zero)
    }

    /// Whether the circuit is open.
    public var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    /// Why the circuit is open; `nil` while closed.
    public var reason: String? {
        if case .open(let reason, _) = state { return reason }
        return nil
    }

    /// Transient failures recorded in a row so far.
    public var consecutiveTransientFailures: Int { transientInARow }

    /// Asks whether a request may be sent at `now`. Granting a probe schedules the next one a `probeInterval` later.
    public mutating func permit(now: ContinuousClock.Instant) -> Permit {
        let permit = peek(now: now)
        if case .probe = permit, case .open(let reason, _) = state {
            state = .open(reason: reason, nextProbe: now.advanced(by: probeInterval))
        }
        return permit
    }

    /// What ``permit(now:)`` would answer at `now`, without granting anything.
    public func peek(now: ContinuousClock.Instant) -> Permit {
        switch state {
        case .closed:
            return .send
        case .open(_, let nextProbe):
            return now >= nextProbe ? .probe : .wait(until: nextProbe)
        }
    }

    /// Records how a request ended at `now` and returns the transition it caused, if any.
    ///
    /// A success closes the circuit; an outage opens it; a transient failure opens it when it is the
    /// `threshold`-th in a row; a permanent failure (the event's own fault) ends a run of transient
    /// ones, and closes an open circuit when it answered a probe (docs/contract.md, "Circuit").
    ///
    /// - Parameters:
    ///   - sentAt: when the request was sent (`now` when not given). A success counts for
    ///     ``eventExhausted(firstAttempt:now:)`` from then: a request sent before an outage began may
    ///     still succeed after an event's first attempt failed, and says nothing about the API since.
    ///   - probe: whether the request was the probe ``permit(now:)`` granted.
    public mutating func record(
        _ outcome: APIOutcome, now: ContinuousClock.Instant, sentAt: ContinuousClock.Instant? = nil, probe: Bool = false
    ) -> Transition? {
        switch outcome {
        case .success:
            let sent = sentAt ?? now
            lastSuccess = lastSuccess.map { max($0, sent) } ?? sent
            transientInARow = 0
            guard isOpen else { return nil }
            state = .closed
            return .closed
        case .failure(let failure):
            switch failure.kind {
            case .outage:
                transientInARow = 0
                return open(reason: "\(failure.code): \(failure.message)", now: now)
            case .transient:
                transientInARow += 1
                guard transientInARow >= threshold else { return nil }
                return open(reason: "\(transientInARow) transient failures in a row, the last \(failure.code)", now: now)
            case .permanent:
                transientInARow = 0
                guard probe, isOpen else { return nil }
                state = .closed
                return .closed
            }
        }
    }

    /// Tells the circuit an event ran out of attempts at `now`, its first attempt having been at `firstAttempt`.
    ///
    /// When the API answered no request sent since `firstAttempt` successfully, the API is out, not the
    /// event at fault: the circuit opens (the returned transition, or already open) and the event must
    /// be neither failed nor dead-lettered. Check ``isOpen`` afterwards.
    public mutating func eventExhausted(firstAttempt: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Transition? {
        if let lastSuccess, lastSuccess >= firstAttempt { return nil }
        return open(reason: "an event ran out of attempts while the API answered no other request successfully", now: now)
    }

    /// Whether the API answered a request successfully at or after `instant`.
    public func hasSucceeded(since instant: ContinuousClock.Instant) -> Bool {
        guard let lastSuccess else { return false }
        return lastSuccess >= instant
    }

    /// Opens the circuit unless it is open already; the first probe is due a `probeInterval` after `now`.
    private mutating func open(reason: String, now: ContinuousClock.Instant) -> Transition? {
        guard !isOpen else { return nil }
        state = .open(reason: reason, nextProbe: now.advanced(by: probeInterval))
        return .opened(reason: reason)
    }
}
