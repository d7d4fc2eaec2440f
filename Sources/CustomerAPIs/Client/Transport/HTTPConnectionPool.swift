import DequeModule
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Kept-alive HTTP/1.1 connections to one origin, at most `maxConnections` of them, each carrying
/// one request at a time; requests beyond that wait for a free connection in arrival order.
///
/// This is the client's hot path, kept deliberately small: a request takes a free connection
/// under a lock, is written in one flush, and the connection returns to the pool when the answer
/// is complete. Deadlines are enforced by each connection's periodic check (see
/// ``HTTPExchangeHandler``), so a request schedules no timer of its own.
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
    }

    /// Where a proxy listens, and the `Proxy-Authorization` value it gets, if any.
    struct Proxy: Sendable, Equatable {
        var host: String
        var port: Int
        var authorization: String?
    }

    /// What a waiting request is given: a free connection, or leave to open one.
    private enum Grant: Sendable {
        case connection(any Channel)
        case connect
    }

    private struct State: Sendable {
        /// Free connections, most recently used last.
        var idle: [any Channel] = []
        /// Connections open or being opened.
        var live = 0
        var waiters: Deque<CheckedContinuation<Grant, any Error>> = []
        var isShutDown = false

        /// A free connection, a leave to open one, or `nil` when the request has to wait.
        mutating func grant(maxConnections: Int) -> Grant? {
            while let channel = idle.popLast() {
                // A closed one is counted off by `connectionClosed`.
                if channel.isActive { return .connection(channel) }
            }
            if live < maxConnections {
                live += 1
                return .connect
            }
            return nil
        }
    }

    let origin: HTTPOrigin
    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let state = Mutex(State())

    init(origin: HTTPOrigin, configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.origin = origin
        self.configuration = configuration
        self.group = group
    }

    /// Sends `request` and returns its answer.
    ///
    /// - Throws: ``HTTPTransportError``, a connection or TLS error from NIO, or `CancellationError`
    ///   when the calling task is cancelled (its connection is then closed).
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
        let (idle, waiters) = state.withLock { state in
            state.isShutDown = true
            defer { state.idle = []; state.waiters = [] }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.resume(throwing: HTTPTransportError.shutDown) }
        for channel in idle { try? await channel.close() }
    }

    // MARK: - Connections coming and going (called by the connections' handlers)

    /// A connection finished its exchange and may carry another.
    func release(_ channel: any Channel) {
        let waiter = state.withLock { state -> CheckedContinuation<Grant, any Error>? in
            if state.isShutDown { return nil }
            if let waiter = state.waiters.popFirst() { return waiter }
            state.idle.append(channel)
            return nil
        }
        if let waiter {
            waiter.resume(returning: .connection(channel))
        } else if state.withLock({ $0.isShutDown }) {
            channel.close(promise: nil)
        }
    }

    /// A connection closed: it no longer counts, and a waiting request may open another.
    func connectionClosed(_ channel: any Channel) {
        let waiter = state.withLock { state in
            state.idle.removeAll { $0 === channel }
            state.live -= 1
            return openingSlotForWaiter(&state)
        }
        waiter?.resume(returning: .connect)
    }

    // MARK: - Taking a connection

    private func acquire(before deadline: NIODeadline) async throws -> any Channel {
        let maxConnections = configuration.maxConnections
        var grant = try state.withLock { state throws(HTTPTransportError) -> Grant? in
            if state.isShutDown { throw .shutDown }
            return state.grant(maxConnections: maxConnections)
        }
        if grant == nil {
            grant = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                let now: Result<Grant, HTTPTransportError>? = state.withLock { state in
                    if state.isShutDown { return .failure(.shutDown) }
                    if let grant = state.grant(maxConnections: maxConnections) { return .success(grant) }
                    state.waiters.append(continuation)
                    return nil
                }
                if let now { continuation.resume(with: now) }
            }
        }
        switch grant {
        case .connection(let channel):
            guard NIODeadline.now() < deadline else {
                release(channel)
                throw HTTPTransportError.timeout
            }
            return channel
        case .connect, nil:
            do {
                return try await connect()
            } catch {
                let waiter = state.withLock { state in
                    state.live -= 1
                    return openingSlotForWaiter(&state)
                }
                waiter?.resume(returning: .connect)
                throw error
            }
        }
    }

    /// Gives the first waiting request leave to open a connection, when there is room for one.
    private func openingSlotForWaiter(_ state: inout State) -> CheckedContinuation<Grant, any Error>? {
        guard !state.isShutDown, state.live < configuration.maxConnections, let waiter = state.waiters.popFirst() else {
            return nil
        }
        state.live += 1
        return waiter
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
