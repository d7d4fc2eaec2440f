import Foundation
import Testing
import TestSupport

/// A real Prometheus scrapes a running `kafka-api-bridge run` (dev-broker, simulate-apis) while
/// events flow, with deploy/prometheus/alerts.yaml loaded: every query of the Grafana dashboard
/// and every alert expression evaluates, the dashboard's events per second are not zero, and the
/// Deployment's probes answer.
@Suite(.serialized) struct PrometheusScrapeTests {
    static let customerEvents = (0..<200).map { #"{"conversationId":"conv-\#($0)","customerId":"cust-\#($0 % 20)","eventId":"evt-prom-\#($0)"}"# }
        + (0..<10).map { "not json \($0)" }  // rejected and dead-lettered
    static let entityEvents = (0..<20).map { index in
        #"{"customerId":"0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10","entity":{"type":"subscriber","id":"a5ad9f06-0164-4475-8919-fcf1d4a4befe"},"params":[{"configId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"\#(index)"}]}"#
    }

    @Test func dashboardQueriesAndAlertExpressionsEvaluateAgainstARunningBridge() async throws {
        #expect(ChildProcess.onPath("kcat") != nil, "kcat is missing: run scripts/install-deps")
        let compose = try ComposeModel.load()
        let dashboard = try GrafanaDashboard.load()
        let alerts = try AlertRules.load()
        let pipeline = try await ComposePipeline.start(compose)
        let (bridge, bootstrap, httpPort, bridgeURL) = (pipeline.bridge, pipeline.bootstrap, pipeline.httpPort, pipeline.bridgeURL)
        #expect(await LoopbackHTTP.waitFor(bridgeURL + "/healthz", timeout: .seconds(30)), "bridge: \(bridge.errorOutput.suffix(2000))")

        let prometheus = try await PrometheusServer(target: "127.0.0.1:\(httpPort)", ruleFiles: [PackageRoot.file(AlertRules.path).path])
        // The first scrape sees the counters at zero, so the events below make a rate.
        try await Self.waitUntil("Prometheus scraped the bridge", timeout: .seconds(30)) {
            try await prometheus.query(#"up{job="\#(PrometheusServer.jobName)"}"#).samples.first?.value == 1
        }

        for (topic, events) in [("customer-events", Self.customerEvents), ("entity-events", Self.entityEvents)] {
            let produced = try await ChildProcess.run(
                "kcat", ["-P", "-b", bootstrap, "-t", topic], input: Data((events.joined(separator: "\n") + "\n").utf8))
            #expect(produced.status == 0, "kcat -P \(topic): \(produced.errorOutput)")
        }

        // Every dashboard query returns series once the events are through and lag is sampled.
        let eventsPanel = "Events per second by status"
        let eventsQuery = try #require(dashboard.queries.first { $0.panel == eventsPanel }, "the dashboard has \(eventsPanel)")
        try await Self.waitUntil("every dashboard query returns data, events/s > 0", timeout: .seconds(60)) {
            let succeeded = try await prometheus.query(GrafanaDashboard.concrete(eventsQuery.expression)).samples
                .first { $0.labels["status"] == "succeeded" }?.value ?? 0
            guard succeeded > 0 else { return false }
            for query in dashboard.queries {
                if try await prometheus.query(GrafanaDashboard.concrete(query.expression)).samples.isEmpty { return false }
            }
            return true
        }
        for query in dashboard.queries {
            let concrete = GrafanaDashboard.concrete(query.expression)
            #expect(!concrete.contains("$"), "\(query.panel): a Grafana variable the test does not know: \(concrete)")
            let answer = try await prometheus.query(concrete)
            #expect(answer.status == "success", "\(query.panel): \(concrete): \(answer.error ?? "")")
            #expect(!answer.samples.isEmpty, "\(query.panel) shows nothing: \(concrete)")
        }
        let eventsPerSecond = try await prometheus.query(GrafanaDashboard.concrete(eventsQuery.expression)).samples
        #expect(eventsPerSecond.contains { $0.labels["status"] == "succeeded" && $0.value > 0 }, "events/s: \(eventsPerSecond)")
        for variable in dashboard.variableQueries {
            let promQL = try #require(GrafanaDashboard.labelValuesAsPromQL(variable), "variable query \(variable)")
            let values = try await prometheus.query(promQL).samples
            #expect(values.contains { $0.labels["job"] == PrometheusServer.jobName }, "\(variable) finds the job: \(values)")
        }

        // Only metrics the bridge serves.
        let page = await LoopbackHTTP.get(bridgeURL + "/metrics")
        let served = MetricNames.served(byMetricsPage: page.body)
        #expect(page.status == 200 && served.contains("bridge_events_total"), "/metrics: \(page.body.prefix(500))")
        for (name, expression) in dashboard.queries.map({ ($0.panel, $0.expression) }) + alerts.rules.map({ ($0.alert, $0.expression) }) {
            let mentioned = MetricNames.bridgeMetrics(in: expression)
            #expect(mentioned.isSubset(of: served), "\(name) asks for metrics the bridge does not serve: \(mentioned.subtracting(served))")
        }
        for query in dashboard.queries {
            #expect(!MetricNames.bridgeMetrics(in: query.expression).isEmpty, "\(query.panel) queries a bridge metric")
        }

        // Every alert expression evaluates, and Prometheus evaluates every loaded rule cleanly.
        for rule in alerts.rules {
            let answer = try await prometheus.query(rule.expression)
            #expect(answer.status == "success", "\(rule.alert): \(answer.error ?? "")")
        }
        try await Self.waitUntil("every rule evaluated", timeout: .seconds(30)) {
            try await prometheus.alertingRules().allSatisfy { $0.health != "unknown" }
        }
        let loaded = try await prometheus.alertingRules()
        #expect(Set(loaded.map(\.name)) == Set(alerts.rules.map(\.alert)))
        for rule in loaded {
            #expect(rule.health == "ok", "\(rule.name): \(rule.health) \(rule.lastError)")
        }

        // The Deployment's probes ask what this running bridge serves.
        let container = try KubernetesManifests.load().bridgeContainer()
        for (probe, status) in [("livenessProbe", 200), ("readinessProbe", 200)] {
            let path = try #require(try KubernetesManifests.value(container, at: [probe, "httpGet"])["path"] as? String)
            #expect(await LoopbackHTTP.waitFor(bridgeURL + path, status: status, timeout: .seconds(30)), "\(probe) \(path)")
        }

        #expect(await prometheus.stop() == 0, "prometheus stops on SIGTERM: \(prometheus.child.errorOutput.suffix(1000))")
        #expect(await bridge.terminate() == 0, "the bridge stops cleanly: \(bridge.errorOutput.suffix(2000))")
        _ = await pipeline.simulator.terminate()
        #expect(await pipeline.broker.terminate() == 0)
    }

    /// Polls `condition` every half second until it holds; records an issue when `timeout` passes.
    static func waitUntil(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        if try await !eventually(within: timeout, every: .milliseconds(500), condition) {
            Issue.record("timed out waiting until \(what)")
        }
    }
}
