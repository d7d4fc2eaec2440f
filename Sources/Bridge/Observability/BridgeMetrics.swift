import CoreMetrics
import CustomerAPIs
import Prometheus
import Synchronization

/// The bridge's Prometheus metrics, on a registry of its own so that several bridges in one
/// process (tests, `demo`) never share counters. Served at `/metrics`.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `bridge_events_total` | counter | `kind`, `status` (succeeded, failed, rejected) |
/// | `bridge_dead_letters_total` | counter | `kind` |
/// | `bridge_api_request_duration_seconds` | histogram | `api`, `result` (success, permanent, transient, outage) |
/// | `bridge_api_retries_total` | counter | `api` |
/// | `bridge_in_flight_events` | gauge | — |
/// | `bridge_consumer_lag` | gauge | `topic`, `partition` |
/// | `bridge_circuit_open` | gauge | `api` (1 while open) |
public final class BridgeMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let events: [EventKind: [EventResolution.Status: CoreMetrics.Counter]]
    private let deadLetters: [EventKind: CoreMetrics.Counter]
    private let retries: [EventKind: CoreMetrics.Counter]
    private let apiDurations: [EventKind: [String: CoreMetrics.Timer]]
    private let circuitOpen: [EventKind: CoreMetrics.Gauge]
    private let inFlight: CoreMetrics.Gauge
    private let lag = Mutex<[String: CoreMetrics.Gauge]>([:])

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
        var events: [EventKind: [EventResolution.Status: CoreMetrics.Counter]] = [:]
        var deadLetters: [EventKind: CoreMetrics.Counter] = [:]
        var retries: [EventKind: CoreMetrics.Counter] = [:]
        var apiDurations: [EventKind: [String: CoreMetrics.Timer]] = [:]
        var circuitOpen: [EventKind: CoreMetrics.Gauge] = [:]
        for kind in EventKind.allCases {
            for status in [EventResolution.Status.succeeded, .failed, .rejected] {
                events[kind, default: [:]][status] = CoreMetrics.Counter(
                    label: "bridge_events_total", dimensions: [("kind", kind.rawValue), ("status", status.rawValue)],
                    factory: factory)
            }
            deadLetters[kind] = CoreMetrics.Counter(label: "bridge_dead_letters_total", dimensions: [("kind", kind.rawValue)], factory: factory)
            retries[kind] = CoreMetrics.Counter(label: "bridge_api_retries_total", dimensions: [("api", kind.rawValue)], factory: factory)
            for result in ["success", "permanent", "transient", "outage"] {
                apiDurations[kind, default: [:]][result] = CoreMetrics.Timer(
                    label: "bridge_api_request_duration_seconds", dimensions: [("api", kind.rawValue), ("result", result)],
                    factory: factory)
            }
            let gauge = CoreMetrics.Gauge(label: "bridge_circuit_open", dimensions: [("api", kind.rawValue)], factory: factory)
            gauge.record(0)
            circuitOpen[kind] = gauge
        }
        self.events = events
        self.deadLetters = deadLetters
        self.retries = retries
        self.apiDurations = apiDurations
        self.circuitOpen = circuitOpen
        self.inFlight = CoreMetrics.Gauge(label: "bridge_in_flight_events", factory: factory)
        inFlight.record(0)
    }

    func recordResolution(kind: EventKind, _ resolution: EventResolution) {
        events[kind]?[resolution.status]?.increment()
        if resolution.isDeadLettered { deadLetters[kind]?.increment() }
    }

    func recordAPICall(kind: EventKind, duration: Duration, outcome: APIOutcome) {
        let result: String
        switch outcome {
        case .success: result = "success"
        case .failure(let failure):
            switch failure.kind {
            case .permanent: result = "permanent"
            case .transient: result = "transient"
            case .outage: result = "outage"
            }
        }
        apiDurations[kind]?[result]?.recordInterval(duration)
    }

    func recordRetry(kind: EventKind) {
        retries[kind]?.increment()
    }

    func recordCircuit(kind: EventKind, open: Bool) {
        circuitOpen[kind]?.record(open ? 1 : 0)
    }

    func recordInFlight(_ count: Int) {
        inFlight.record(count)
    }

    func recordLag(topic: String, partition: Int32, lag: Int64) {
        let name = "\(topic)/\(partition)"
        let gauge = self.lag.withLock { gauges in
            if let gauge = gauges[name] { return gauge }
            let gauge = CoreMetrics.Gauge(
                label: "bridge_consumer_lag", dimensions: [("topic", topic), ("partition", String(partition))],
                factory: factory)
            gauges[name] = gauge
            return gauge
        }
        gauge.record(lag)
    }

    /// The metrics in Prometheus' text format.
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}

extension CoreMetrics.Timer {
    fileprivate func recordInterval(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
