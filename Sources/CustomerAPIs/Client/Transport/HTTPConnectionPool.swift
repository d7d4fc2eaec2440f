import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Kept-alive HTTP/1.1 connections to one origin, at most `maxConnections` of them, each carrying
/// one request at a time; requests beyond that wait for a free connection in arrival order, each
/// until its deadline or until its task is cancelled.
///
/// This is the client's hot path, kept deliberately small: a request takes a free connection
/// under a lock, is written in one flush, and the connection returns to the pool when the answer
/// is complete. Every decision is the ``StateMachine``'s; this class performs what it says.
/// Deadlines of sent requests are enforced by each connection's periodic check (see
/// ``HTTPExchangeHandler``), so a request that finds a free connection schedules no timer; one
/// pool timer serves the deadlines of waiting requests and the connect backoff.
final class HTTPConnectionPool: Sendable {
    /// How the pool connects and what it allows.
    struct Configuration: Sendable {
        var maxConnections: Int
        var connectTimeout: TimeAmount
        var limits: HTTPExchangeHandler.Limits
        /// The TLS context, for an `https` origin.
        var tls: NIOSSLContext?
        /// The forward proxy every connection goes to, if any: `https` is tunnelled through it
        /// with CONNECT, `http` requests are sent to it as they are (with absolute targets).
        var proxy: Proxy?
        /// How long connects wait after failed ones.
        var backoff = ConnectBackoff()
    }

    /// Where a proxy listens, and the `Proxy-Authorization` value it gets, if any.
    struct Proxy: Sendable, Equatable {
        var host: String
        var port: Int
        var authorization: String?
    }

    /// A connection as the state machine sees it: a channel, the same one only if it is the same object.
    private struct PooledChannel: Equatable, Sendable {
        let channel: any Channel
        static func == (lhs: Self, rhs: Self) -> Bool { lhs.channel === rhs.channel }
    }

    private typealias Waiter = CheckedContinuation<Grant<PooledChannel>, any Error>

    let origin: HTTPOrigin
    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let state: Mutex<StateMachine<PooledChannel, Waiter>>

    init(origin: HTTPOrigin, configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.origin = origin
        self.configuration = configuration
        self.group = group
        self.state = Mutex(StateMachine(maxConnections: configuration.maxConnections, backoff: configuration.backoff))
    }

    /// Sends `request` and returns its answer.
    ///
    /// - Throws: ``HTTPTransportError`` (``HTTPTransportError/timeout`` also when `deadline`
    ///   passes while the request waits for a connection), a connection or TLS error from NIO, or
    ///   `CancellationError` when the calling task is cancelled (a waiting request leaves the
    ///   queue; a sent one's connection is closed).
    func execute(_ request: HTTPExchangeRequest, deadline: NIODeadline) async throws -> HTTPExchangeResponse {
        let channel = try await acquire(before: deadline)
        let promise = channel.eventLoop.makePromise(of: HTTPExchangeResponse.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        // The handler succeeds `written` when it takes the exchange; a failure means it never saw it
        // (the connection closed first), so the answer's promise is failed here instead.
        written.futureResult.whenFailure { _ in promise.fail(HTTPTransportError.connectionClosed) }
        channel.writeAndFlush(HTTPPendingExchange(request: request, deadline: deadline, promise: promise), promise: written)
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Closes every free connection and fails waiting requests. Connections still carrying a
    /// request close when they come back.
    func shutdown() async {
        let action = state.withLock { $0.shutdown() }
        for waiter in action.waiters { waiter.resume(throwing: HTTPTransportError.shutDown) }
        for pooled in action.idle { try? await pooled.channel.close() }
    }

    // MARK: - Connections coming and going (called by the connections' handlers)

    /// A connection finished its exchange and may carry another.
    func release(_ channel: any Channel) {
        switch state.withLock({ $0.connectionReleased(PooledChannel(channel: channel)) }) {
        case .park:
            break
        case .hand(let pooled, let waiter):
            waiter.resume(returning: .connection(pooled))
        case .close(let pooled):
            pooled.channel.close(promise: nil)
        }
    }

    /// A connection closed: it no longer counts, and a waiting request may open another.
    func connectionClosed(_ channel: any Channel) {
        if case .connect(let waiter) = state.withLock({ $0.connectionClosed(PooledChannel(channel: channel)) }) {
            waiter.resume(returning: .connect)
        }
    }

    // MARK: - Taking a connection

    private func acquire(before deadline: NIODeadline) async throws -> any Channel {
        switch state.withLock({ $0.leaseConnection() }) {
        case .use(let pooled):
            return pooled.channel
        case .connect:
            return try await connectForRequest()
        case .fail(let error):
            throw error
        case .wait(let id):
            switch try await wait(id, until: deadline) {
            case .connection(let pooled):
                // Handed over just as the deadline passed, before the pool's timer fired.
                guard NIODeadline.now() < deadline else {
                    release(pooled.channel)
                    throw HTTPTransportError.timeout
                }
                return pooled.channel
            case .connect:
                return try await connectForRequest()
            }
        }
    }

    /// Waits in the queue with ticket `id` until the machine hands over a connection or leave to
    /// open one, `deadline` passes, or the task is cancelled.
    private func wait(_ id: WaiterID, until deadline: NIODeadline) async throws -> Grant<PooledChannel> {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: Waiter) in
                switch state.withLock({ $0.enqueue(waiter, id: id, deadline: deadline) }) {
                case .use(let pooled):
                    waiter.resume(returning: .connection(pooled))
                case .connect:
                    waiter.resume(returning: .connect)
                case .fail(let error):
                    waiter.resume(throwing: error)
                case .wait(let armTimer):
                    if let armTimer { self.armTimer(at: armTimer) }
                    // Cancelled before it was queued: the handler found nothing to take out.
                    if Task.isCancelled { cancelWaiting(id) }
                }
            }
        } onCancel: {
            cancelWaiting(id)
        }
    }

    private func cancelWaiting(_ id: WaiterID) {
        if case .fail(let waiter) = state.withLock({ $0.cancel(id) }) {
            waiter.resume(throwing: CancellationError())
        }
    }

    /// Opens a connection in the slot the machine gave this request, and tells the machine how it went.
    private func connectForRequest() async throws -> any Channel {
        let channel: any Channel
        do {
            channel = try await connect()
        } catch {
            if case .armTimer(let time) = state.withLock({ $0.connectFailed(now: .now()) }) {
                armTimer(at: time)
            }
            throw error
        }
        for waiter in state.withLock({ $0.connectSucceeded() }) {
            waiter.resume(returning: .connect)
        }
        return channel
    }

    // MARK: - The pool's timer

    private func armTimer(at time: NIODeadline) {
        // A pool that is gone needs no timer; one fired after shutdown finds nothing to do.
        group.next().scheduleTask(deadline: time) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        let action = state.withLock { $0.timerFired(now: .now()) }
        for waiter in action.expired { waiter.resume(throwing: HTTPTransportError.timeout) }
        for waiter in action.connect { waiter.resume(returning: .connect) }
        if let time = action.armTimer { armTimer(at: time) }
    }

    private func connect() async throws -> any Channel {
        let origin = origin
        let configuration = configuration
        let tunnels = configuration.proxy != nil && origin.usesTLS
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    // Through a tunnel, TLS and HTTP start once the proxy has opened it.
                    if !tunnels { try addExchangeHandlers(to: channel.pipeline.syncOperations) }
                }
            }
        let channel = try await bootstrap.connect(host: configuration.proxy?.host ?? origin.host, port: configuration.proxy?.port ?? origin.port).get()
        guard tunnels, let proxy = configuration.proxy else { return channel }
        let target = (origin.host.contains(":") ? "[\(origin.host)]" : origin.host) + ":\(origin.port)"
        do {
            try await channel.eventLoop.flatSubmit { [self] in
                let opened = channel.eventLoop.makePromise(of: Void.self)
                do {
                    try channel.pipeline.syncOperations.addHandler(HTTPProxyTunnelHandler(
                        target: target, authorization: proxy.authorization, timeout: configuration.connectTimeout, opened: opened))
                } catch {
                    opened.fail(error)
                }
                return opened.futureResult.flatMapThrowing { try self.addExchangeHandlers(to: channel.pipeline.syncOperations) }
            }.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return channel
    }

    /// TLS for an `https` origin (inside the tunnel, when there is one), the HTTP/1.1 codec and the exchange handler.
    private func addExchangeHandlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        if let tls = configuration.tls {
            // An IP address is not sent as the server name; the certificate is then checked against it.
            let serverName = origin.hostIsIPAddress ? nil : origin.host
            try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
        }
        try pipeline.addHTTPClientHandlers()
        try pipeline.addHandler(HTTPExchangeHandler(pool: self, limits: configuration.limits))
    }
}
