import Hummingbird
import Logging
import NIOCore

/// The HTTP endpoints operators and orchestrators read: `/metrics` (Prometheus text format),
/// `/healthz` (the process is alive) and `/readyz` (partitions assigned and no circuit open;
/// otherwise 503 with the reasons, one per line).
enum ObservabilityServer {
    /// A Hummingbird application serving the three endpoints on `host:port` (port 0 picks one and
    /// reports it to `onRunning`). It is a `Service`: run it in the bridge's service group.
    static func make(
        host: String, port: Int, metrics: BridgeMetrics, readiness: Readiness, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        router.get("/healthz") { _, _ -> String in
            "ok\n"
        }
        router.get("/readyz") { _, _ -> Response in
            let reasons = readiness.reasons
            let text = reasons.isEmpty ? "ready\n" : reasons.joined(separator: "\n") + "\n"
            return Response(
                status: reasons.isEmpty ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "kafka-api-bridge"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
