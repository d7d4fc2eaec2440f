import NIOCore
import Testing
@testable import CustomerAPIs

/// The connection pool's decisions without sockets or clocks: idle reuse, the connection limit,
/// waiting requests' deadlines and cancellation, the connect backoff, shutdown.
@Suite struct HTTPConnectionPoolStateMachineTests {
    /// A connection the machine hands around, known by its name.
    struct Connection: Equatable, CustomStringConvertible {
        let name: String
        init(_ name: String) { self.name = name }
        var description: String { name }
    }

    typealias Machine = HTTPConnectionPool.StateMachine<Connection, String>

    /// A fixed origin of time, so that every instant is written as an offset.
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    static func at(_ milliseconds: Int64) -> NIODeadline { start + .milliseconds(milliseconds) }

    static func machine(maxConnections: Int = 2) -> Machine {
        Machine(maxConnections: maxConnections, backoff: HTTPConnectionPool.ConnectBackoff())
    }

    /// A request that is told to wait, queued as `waiter` until `deadline`; returns the timer it asks for.
    static func queue(_ waiter: String, in machine: inout Machine, deadline: NIODeadline) throws -> (HTTPConnectionPool.WaiterID, NIODeadline?) {
        guard case .wait(let id) = machine.leaseConnection() else { throw Unexpected("\(waiter) should wait") }
        guard case .wait(let armTimer) = machine.enqueue(waiter, id: id, deadline: deadline) else {
            throw Unexpected("\(waiter) should be queued")
        }
        return (id, armTimer)
    }

    /// Opens `count` connections, each through a request that connects and succeeds, all busy.
    static func open(_ count: Int, in machine: inout Machine) throws -> [Connection] {
        try (0..<count).map { index in
            guard case .connect = machine.leaseConnection() else { throw Unexpected("request \(index) should connect") }
            #expect(machine.connectSucceeded().isEmpty)
            return Connection("c\(index)")
        }
    }

    struct Unexpected: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Idle and max connections

    @Test func aFreedConnectionIsReusedWithoutConnectingOrArmingATimer() throws {
        var machine = Self.machine()
        let connection = try Self.open(1, in: &machine)[0]
        guard case .park = machine.connectionReleased(connection) else { throw Unexpected("an unwanted connection is kept") }
        guard case .use(let reused) = machine.leaseConnection() else { throw Unexpected("the free connection should be used") }
        #expect(reused == connection)
        #expect(machine.live == 1)
        #expect(machine.timer == nil, "a request that finds a free connection needs no timer")
    }

    @Test func theMostRecentlyFreedConnectionIsUsedFirst() throws {
        var machine = Self.machine()
        let connections = try Self.open(2, in: &machine)
        _ = machine.connectionReleased(connections[0])
        _ = machine.connectionReleased(connections[1])
        guard case .use(let first) = machine.leaseConnection() else { throw Unexpected("a free connection should be used") }
        #expect(first == connections[1])
    }

    @Test func requestsBeyondTheLimitWaitAndTakeFreedConnectionsInArrivalOrder() throws {
        var machine = Self.machine(maxConnections: 2)
        let connections = try Self.open(2, in: &machine)
        let (_, timerA) = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        let (_, timerB) = try Self.queue("b", in: &machine, deadline: Self.at(1_010))
        #expect(machine.live == 2 && machine.waiting == 2)
        #expect(timerA == Self.at(1_000), "the first waiting request arms the pool's timer")
        #expect(timerB == nil, "a later deadline needs no timer of its own")
        guard case .hand(let handed, to: "a") = machine.connectionReleased(connections[1]) else { throw Unexpected("a should get it") }
        #expect(handed == connections[1])
        guard case .hand(_, to: "b") = machine.connectionReleased(connections[0]) else { throw Unexpected("b should get it") }
        guard case .park = machine.connectionReleased(connections[1]) else { throw Unexpected("nobody waits any more") }
        #expect(machine.live == 2 && machine.waiting == 0)
    }

    @Test func aClosedConnectionLetsTheFirstWaiterConnect() throws {
        var machine = Self.machine(maxConnections: 1)
        let connection = try Self.open(1, in: &machine)[0]
        _ = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        _ = try Self.queue("b", in: &machine, deadline: Self.at(1_000))
        guard case .connect("a") = machine.connectionClosed(connection) else { throw Unexpected("a should connect") }
        #expect(machine.live == 1 && machine.waiting == 1)
    }

    @Test func aFreeConnectionThatClosesIsNotHandedOut() throws {
        var machine = Self.machine(maxConnections: 2)
        let connections = try Self.open(2, in: &machine)
        _ = machine.connectionReleased(connections[0])
        _ = machine.connectionReleased(connections[1])
        guard case .none = machine.connectionClosed(connections[1]) else { throw Unexpected("nobody waits") }
        #expect(machine.idle.count == 1 && machine.live == 1)
        guard case .use(let next) = machine.leaseConnection() else { throw Unexpected("the open one should be used") }
        #expect(next == connections[0])
        guard case .connect = machine.leaseConnection() else { throw Unexpected("there is room for one more") }
    }

    // MARK: - Deadlines of waiting requests

    @Test func aWaitingRequestFailsWhenTheTimerFiresAtItsDeadline() throws {
        var machine = Self.machine(maxConnections: 1)
        let connection = try Self.open(1, in: &machine)[0]
        _ = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        _ = try Self.queue("b", in: &machine, deadline: Self.at(1_500))

        let early = machine.timerFired(now: Self.at(999))
        #expect(early.expired.isEmpty, "nothing is due before the deadline")
        let atDeadline = machine.timerFired(now: Self.at(1_000))
        #expect(atDeadline.expired == ["a"])
        #expect(atDeadline.armTimer == Self.at(1_500), "the timer is armed again for the next deadline")
        #expect(machine.waiting == 1)

        guard case .hand(_, to: "b") = machine.connectionReleased(connection) else { throw Unexpected("b should get it") }
        let stale = machine.timerFired(now: Self.at(1_500))
        #expect(stale.expired.isEmpty && stale.armTimer == nil, "a timer for a request already served does nothing")
        #expect(machine.live == 1, "no slot is lost")
    }

    @Test func anEarlierDeadlineArmsTheTimerAgain() throws {
        var machine = Self.machine(maxConnections: 1)
        _ = try Self.open(1, in: &machine)
        let (_, first) = try Self.queue("a", in: &machine, deadline: Self.at(5_000))
        let (_, earlier) = try Self.queue("b", in: &machine, deadline: Self.at(200))
        #expect(first == Self.at(5_000))
        #expect(earlier == Self.at(200))
        let fired = machine.timerFired(now: Self.at(200))
        #expect(fired.expired == ["b"])
        // The machine remembers only the earliest timer, so it asks again for a's deadline; the
        // first timer for it then finds nothing to do.
        #expect(fired.armTimer == Self.at(5_000))
        #expect(machine.timerFired(now: Self.at(5_000)).expired == ["a"])
    }

    @Test func aTimerFiringLateFailsEveryRequestDueByThen() throws {
        var machine = Self.machine(maxConnections: 1)
        _ = try Self.open(1, in: &machine)
        for (waiter, deadline) in [("a", 100), ("b", 300), ("c", 200), ("d", 900)] {
            _ = try Self.queue(waiter, in: &machine, deadline: Self.at(Int64(deadline)))
        }
        let fired = machine.timerFired(now: Self.at(350))
        #expect(fired.expired == ["a", "b", "c"])
        #expect(fired.armTimer == Self.at(900))
    }

    // MARK: - Cancellation

    @Test func aCancelledWaitingRequestLeavesTheQueueAndKeepsNoSlot() throws {
        var machine = Self.machine(maxConnections: 1)
        let connection = try Self.open(1, in: &machine)[0]
        let (a, _) = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        _ = try Self.queue("b", in: &machine, deadline: Self.at(1_000))
        guard case .fail("a") = machine.cancel(a) else { throw Unexpected("a should fail with CancellationError") }
        guard case .none = machine.cancel(a) else { throw Unexpected("a second cancellation finds nothing") }
        #expect(machine.waiting == 1)
        guard case .hand(_, to: "b") = machine.connectionReleased(connection) else { throw Unexpected("b should be next") }
        #expect(machine.timerFired(now: Self.at(1_000)).expired.isEmpty)
        #expect(machine.live == 1)
    }

    @Test func cancellingARequestThatWasServedOrNeverQueuedDoesNothing() throws {
        var machine = Self.machine(maxConnections: 1)
        let connection = try Self.open(1, in: &machine)[0]
        guard case .wait(let ticket) = machine.leaseConnection() else { throw Unexpected("should wait") }
        guard case .none = machine.cancel(ticket) else { throw Unexpected("not queued yet") }
        let (served, _) = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        _ = machine.connectionReleased(connection)
        guard case .none = machine.cancel(served) else { throw Unexpected("already served") }
    }

    // MARK: - Connect backoff

    @Test func theBackoffDoublesFrom100MillisecondsUpToItsMaximum() {
        let backoff = HTTPConnectionPool.ConnectBackoff()
        let delays = (1...8).map { backoff.delay(afterFailures: $0) }
        #expect(delays == [100, 200, 400, 800, 1_600, 3_000, 3_000, 3_000].map { TimeAmount.milliseconds($0) })
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(3))
    }

    @Test func afterAFailedConnectTheNextWaiterConnectsOnlyWhenTheBackoffIsOver() throws {
        var machine = Self.machine(maxConnections: 4)
        guard case .connect = machine.leaseConnection() else { throw Unexpected("the first request connects") }
        guard case .armTimer(let end) = machine.connectFailed(now: Self.at(0)) else { throw Unexpected("a backoff should start") }
        #expect(end == Self.at(100))
        #expect(machine.live == 0, "the failed connect's slot is free")

        // There is room for four connections, but none starts during the backoff.
        let (_, timer) = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        #expect(timer == nil, "the backoff's timer comes first")
        _ = try Self.queue("b", in: &machine, deadline: Self.at(1_000))
        #expect(machine.live == 0)

        let over = machine.timerFired(now: Self.at(100))
        #expect(over.connect == ["a"], "one request tries, not every waiter")
        #expect(over.armTimer == Self.at(1_000))
        guard case .armTimer(let secondEnd) = machine.connectFailed(now: Self.at(150)) else { throw Unexpected("a longer backoff") }
        #expect(secondEnd == Self.at(350), "200 ms after the second failure in a row")

        #expect(machine.timerFired(now: Self.at(350)).connect == ["b"])
        #expect(machine.connectSucceeded().isEmpty)
        #expect(machine.failedConnects == 0 && machine.backoffUntil == nil)
        guard case .connect = machine.leaseConnection() else { throw Unexpected("after a success, connects start at once") }
    }

    @Test func aSuccessfulConnectEndsTheBackoffAndLetsWaitersConnect() throws {
        var machine = Self.machine(maxConnections: 3)
        for _ in 0..<2 {
            guard case .connect = machine.leaseConnection() else { throw Unexpected("should connect") }
        }
        _ = machine.connectFailed(now: Self.at(0))
        _ = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        _ = try Self.queue("b", in: &machine, deadline: Self.at(1_000))
        // The other connect, started before the failure, succeeds: the API is reachable again.
        #expect(machine.connectSucceeded() == ["a", "b"])
        #expect(machine.live == 3 && machine.waiting == 0)
        #expect(machine.timerFired(now: Self.at(100)).connect.isEmpty, "the backoff's timer finds nothing to do")
    }

    @Test func connectsThatFailTogetherStartOneBackoff() throws {
        var machine = Self.machine(maxConnections: 8)
        for _ in 0..<8 {
            guard case .connect = machine.leaseConnection() else { throw Unexpected("should connect") }
        }
        guard case .armTimer(let end) = machine.connectFailed(now: Self.at(0)) else { throw Unexpected("a backoff") }
        for index in 1..<8 {
            guard case .none = machine.connectFailed(now: Self.at(Int64(index))) else { throw Unexpected("the same backoff") }
        }
        #expect(end == Self.at(100))
        #expect(machine.failedConnects == 1 && machine.live == 0)
    }

    @Test func waitingRequestsFailAtTheirDeadlinesDuringABackoff() throws {
        var machine = Self.machine(maxConnections: 2)
        // Six failures in a row: the backoff is at its 3 s maximum.
        var now: Int64 = 0
        for _ in 0..<6 {
            guard case .connect = machine.leaseConnection() else { throw Unexpected("should connect") }
            guard case .armTimer(let end) = machine.connectFailed(now: Self.at(now)) else { throw Unexpected("a backoff") }
            now = (end - Self.start).nanoseconds / 1_000_000
            _ = machine.timerFired(now: end)
        }
        guard case .connect = machine.leaseConnection() else { throw Unexpected("should connect") }
        guard case .armTimer(let end) = machine.connectFailed(now: Self.at(now)) else { throw Unexpected("a backoff") }
        #expect(end == Self.at(now + 3_000))
        let (_, timer) = try Self.queue("a", in: &machine, deadline: Self.at(now + 1_000))
        #expect(timer == Self.at(now + 1_000), "the deadline comes before the backoff's end")
        let fired = machine.timerFired(now: Self.at(now + 1_000))
        #expect(fired.expired == ["a"])
        #expect(fired.connect.isEmpty)
        #expect(fired.armTimer == end, "the timer is armed for the backoff's end")
        #expect(machine.timerFired(now: end).connect.isEmpty, "nobody waits when the backoff ends")
        guard case .connect = machine.leaseConnection() else { throw Unexpected("the next request may try") }
    }

    @Test func aClosedConnectionDuringABackoffLetsNobodyConnect() throws {
        var machine = Self.machine(maxConnections: 2)
        let connection = try Self.open(1, in: &machine)[0]
        guard case .connect = machine.leaseConnection() else { throw Unexpected("should connect") }
        _ = machine.connectFailed(now: Self.at(0))
        _ = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        guard case .none = machine.connectionClosed(connection) else { throw Unexpected("no connect during the backoff") }
        #expect(machine.timerFired(now: Self.at(100)).connect == ["a"])
    }

    // MARK: - Shutdown

    @Test func shutdownFailsWaitersAndClosesBusyConnectionsWhenTheyComeBack() throws {
        var machine = Self.machine(maxConnections: 2)
        let connections = try Self.open(2, in: &machine)
        _ = try Self.queue("a", in: &machine, deadline: Self.at(1_000))
        let action = machine.shutdown()
        #expect(action.waiters == ["a"])
        #expect(action.idle.isEmpty)
        guard case .close(let busy) = machine.connectionReleased(connections[1]) else { throw Unexpected("should close") }
        #expect(busy == connections[1])
        guard case .fail(.shutDown) = machine.leaseConnection() else { throw Unexpected("no request after shutdown") }
        #expect(machine.timerFired(now: Self.at(1_000)).expired.isEmpty, "the waiter was failed once, at shutdown")
    }

    @Test func shutdownClosesFreeConnections() throws {
        var machine = Self.machine(maxConnections: 2)
        let connection = try Self.open(1, in: &machine)[0]
        _ = machine.connectionReleased(connection)
        let action = machine.shutdown()
        #expect(action.waiters.isEmpty)
        #expect(action.idle.count == 1 && action.idle.first == connection)
    }
}
