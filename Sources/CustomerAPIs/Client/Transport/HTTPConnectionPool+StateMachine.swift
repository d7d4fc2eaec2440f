import DequeModule
import NIOCore

extension HTTPConnectionPool {
    /// What a request is given: a free connection, or leave to open one. With leave, the request
    /// owns a connection slot and reports how the connect went (``StateMachine/connectSucceeded()``
    /// or ``StateMachine/connectFailed(now:)``).
    enum Grant<Connection> {
        case connection(Connection)
        case connect
    }

    /// A waiting request's ticket, to take it out of the queue when its task is cancelled.
    struct WaiterID: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    /// The pool's decisions, without I/O: which request gets which connection, when a connection
    /// may be opened, when a waiting request has waited too long.
    ///
    /// - At most `maxConnections` connections are open or being opened. A request takes the most
    ///   recently freed connection, or opens one when there is room; otherwise it waits in arrival
    ///   order until a connection is freed, its deadline passes, or its task is cancelled.
    /// - After a failed connect, no connect starts until a backoff has passed (``ConnectBackoff``);
    ///   then one request at a time may try, until one connect succeeds. Failures of connects that
    ///   were already under way when the backoff began do not lengthen it.
    /// - One pool timer serves every deadline: the machine asks for a timer only when something
    ///   is due (a waiting request's deadline, the end of a backoff) before the timer already
    ///   asked for, and ``timerFired(now:)`` may be called at any time; a request that finds a
    ///   free connection never needs one. Only the earliest timer is remembered, so a later one
    ///   may be asked for twice; the one that fires with nothing due does nothing.
    ///
    /// The owner keeps the machine under one lock, passes the time where it matters, and performs
    /// the actions it returns outside the lock: resume waiters, open or close connections, arm
    /// the timer.
    struct StateMachine<Connection: Equatable, Waiter> {
        fileprivate struct Queued {
            let id: WaiterID
            let waiter: Waiter
            let deadline: NIODeadline
        }

        let maxConnections: Int
        let backoff: ConnectBackoff
        /// Free connections, most recently freed last.
        private(set) var idle: [Connection] = []
        /// Connections open or being opened.
        private(set) var live = 0
        private var queue: Deque<Queued> = []
        private var lastWaiterID: UInt64 = 0
        /// Connects that failed in a row; a successful one resets the count.
        private(set) var failedConnects = 0
        /// While set, no connect starts; the timer clears it once the time has come.
        private(set) var backoffUntil: NIODeadline?
        /// Whether the one connect allowed after a backoff is under way.
        private(set) var probing = false
        /// The earliest time a timer was asked for and has not fired yet.
        private(set) var timer: NIODeadline?
        private(set) var isShutDown = false

        init(maxConnections: Int, backoff: ConnectBackoff) {
            self.maxConnections = maxConnections
            self.backoff = backoff
        }

        /// Requests waiting for a connection.
        var waiting: Int { queue.count }

        // MARK: - A request asks for a connection

        /// What a new request does at once.
        enum LeaseAction {
            /// Use this free connection.
            case use(Connection)
            /// Open a connection (the slot is taken).
            case connect
            /// Wait: call ``enqueue(_:id:deadline:)`` with this ticket.
            case wait(WaiterID)
            case fail(HTTPTransportError)
        }

        /// A request wants a connection: a free one, a new one, or a ticket to wait with. No timer
        /// and no clock are involved.
        mutating func leaseConnection() -> LeaseAction {
            if isShutDown { return .fail(.shutDown) }
            if let connection = idle.popLast() { return .use(connection) }
            if queue.isEmpty, takeConnectSlot() { return .connect }
            lastWaiterID &+= 1
            return .wait(WaiterID(value: lastWaiterID))
        }

        /// What a request that was told to wait does.
        enum EnqueueAction {
            /// Things changed since the ticket was issued: use this connection after all.
            case use(Connection)
            /// Things changed since the ticket was issued: open a connection after all.
            case connect
            case fail(HTTPTransportError)
            /// The request waits; arm the pool's timer for this time, if given.
            case wait(armTimer: NIODeadline?)
        }

        /// A request with a ticket from ``leaseConnection()`` waits as `waiter` until `deadline`.
        mutating func enqueue(_ waiter: Waiter, id: WaiterID, deadline: NIODeadline) -> EnqueueAction {
            if isShutDown { return .fail(.shutDown) }
            if let connection = idle.popLast() { return .use(connection) }
            if queue.isEmpty, takeConnectSlot() { return .connect }
            queue.append(Queued(id: id, waiter: waiter, deadline: deadline))
            return .wait(armTimer: arm(for: deadline))
        }

        /// What happens to a cancelled request.
        enum CancelAction {
            /// It was waiting and is out of the queue: fail it with `CancellationError`.
            case fail(Waiter)
            /// It is not waiting (it was never queued, or was already served or failed).
            case none
        }

        /// The task of the request with ticket `id` was cancelled.
        mutating func cancel(_ id: WaiterID) -> CancelAction {
            guard let index = queue.firstIndex(where: { $0.id == id }) else { return .none }
            return .fail(queue.remove(at: index).waiter)
        }

        // MARK: - Connections

        /// What becomes of a connection that finished its exchange.
        enum ReleaseAction {
            /// It is free, kept for the next request.
            case park
            /// Resume this waiter with the connection.
            case hand(Connection, to: Waiter)
            /// The pool is shut down: close it.
            case close(Connection)
        }

        /// A connection finished its exchange and may carry another.
        mutating func connectionReleased(_ connection: Connection) -> ReleaseAction {
            if isShutDown { return .close(connection) }
            if let next = queue.popFirst() { return .hand(connection, to: next.waiter) }
            idle.append(connection)
            return .park
        }

        /// What follows a connection's close.
        enum ClosedAction {
            /// Resume this waiter with leave to open a connection (its slot is taken).
            case connect(Waiter)
            case none
        }

        /// A counted connection closed: its slot is free, and a waiting request may open another
        /// (unless a backoff runs).
        mutating func connectionClosed(_ connection: Connection) -> ClosedAction {
            if let index = idle.lastIndex(of: connection) { idle.remove(at: index) }
            live -= 1
            return nextConnectGrant().map(ClosedAction.connect) ?? .none
        }

        /// A connect succeeded: the backoff, if any, is over, and waiting requests may open
        /// connections while there is room. Returns the waiters to resume with leave to connect.
        mutating func connectSucceeded() -> [Waiter] {
            failedConnects = 0
            backoffUntil = nil
            probing = false
            var granted: [Waiter] = []
            while let waiter = nextConnectGrant() { granted.append(waiter) }
            return granted
        }

        /// What follows a failed connect.
        enum ConnectFailedAction {
            /// Arm the pool's timer for this time (the end of the backoff).
            case armTimer(NIODeadline)
            case none
        }

        /// A connect failed at `now` (its request fails with the connect's error): its slot is
        /// free, and the next connect waits for the backoff. Requests waiting meanwhile are served
        /// by connections that are freed, or fail at their deadlines.
        mutating func connectFailed(now: NIODeadline) -> ConnectFailedAction {
            live -= 1
            probing = false
            // A connect started before the running backoff failed too: same outage, same backoff.
            guard !isShutDown, backoffUntil == nil else { return .none }
            failedConnects += 1
            let until = now + backoff.delay(afterFailures: failedConnects)
            backoffUntil = until
            return arm(for: until).map(ConnectFailedAction.armTimer) ?? .none
        }

        // MARK: - Time

        /// What the pool does when its timer fires.
        struct TimerAction {
            /// Waiters whose deadline passed: fail them with ``HTTPTransportError/timeout``.
            var expired: [Waiter] = []
            /// Waiters that may now open a connection (the backoff is over): resume them with leave.
            var connect: [Waiter] = []
            /// Arm the timer again for this time, if given.
            var armTimer: NIODeadline?
        }

        /// The pool's timer fired at `now`: requests whose deadline passed fail, an ended backoff
        /// lets a waiting request connect, and the timer is armed for whatever is due next. A
        /// timer that fires early, late or twice does no harm.
        mutating func timerFired(now: NIODeadline) -> TimerAction {
            if let armed = timer, armed <= now { timer = nil }
            if let until = backoffUntil, until <= now { backoffUntil = nil }
            var action = TimerAction()
            if isShutDown { return action }
            if queue.contains(where: { $0.deadline <= now }) {
                var kept = Deque<Queued>(minimumCapacity: queue.count)
                for queued in queue {
                    if queued.deadline <= now { action.expired.append(queued.waiter) } else { kept.append(queued) }
                }
                queue = kept
            }
            while let waiter = nextConnectGrant() { action.connect.append(waiter) }
            let nextDeadline = queue.lazy.map(\.deadline).min()
            if let due = [nextDeadline, backoffUntil].compactMap({ $0 }).min() {
                action.armTimer = arm(for: due)
            }
            return action
        }

        // MARK: - Shutdown

        /// What the pool does when it shuts down.
        struct ShutdownAction {
            /// Fail these with ``HTTPTransportError/shutDown``.
            var waiters: [Waiter]
            /// Close these free connections.
            var idle: [Connection]
        }

        /// The pool shuts down: waiting requests fail, free connections close, connections still
        /// carrying a request close when they are released, and nothing new starts.
        mutating func shutdown() -> ShutdownAction {
            isShutDown = true
            backoffUntil = nil
            defer {
                queue = []
                idle = []
            }
            return ShutdownAction(waiters: queue.map(\.waiter), idle: idle)
        }

        // MARK: - Rules

        /// Takes a slot for a new connection when there is room and no backoff forbids it: after
        /// failures, one connect at a time.
        private mutating func takeConnectSlot() -> Bool {
            guard live < maxConnections, backoffUntil == nil, !probing else { return false }
            live += 1
            if failedConnects > 0 { probing = true }
            return true
        }

        /// The first waiting request, with a slot taken for it to connect, when that is allowed.
        private mutating func nextConnectGrant() -> Waiter? {
            guard !isShutDown, !queue.isEmpty, takeConnectSlot() else { return nil }
            return queue.removeFirst().waiter
        }

        /// The time to arm the timer for, when none is armed for `deadline` or earlier.
        private mutating func arm(for deadline: NIODeadline) -> NIODeadline? {
            if let armed = timer, armed <= deadline { return nil }
            timer = deadline
            return deadline
        }
    }
}

extension HTTPConnectionPool.Grant: Sendable where Connection: Sendable {}
extension HTTPConnectionPool.StateMachine: Sendable where Connection: Sendable, Waiter: Sendable {}
extension HTTPConnectionPool.StateMachine.Queued: Sendable where Waiter: Sendable {}
