import Foundation
import Testing
import TestSupport

/// deploy/prometheus/alerts.yaml passes promtool, points every alert at its runbook section of
/// docs/operations.md, and is what deploy/kubernetes/prometheusrule.yaml holds.
@Suite struct AlertRulesTests {
    @Test func promtoolAcceptsTheRules() async throws {
        #expect(ChildProcess.onPath("promtool") != nil, "promtool is missing: run scripts/install-deps")
        let rules = try AlertRules.load()
        let checked = try await ChildProcess.run("promtool", ["check", "rules", PackageRoot.file(AlertRules.path).path])
        #expect(checked.status == 0, "promtool: \(checked.output) \(checked.errorOutput)")
        #expect(checked.output.contains("SUCCESS: \(rules.rules.count) rules found"), "\(checked.output)")
    }

    @Test func promtoolRefusesABrokenExpression() async throws {
        // The check above can fail: the same file with one more rule, its expression cut short,
        // does not pass.
        let text = try PackageRoot.text(AlertRules.path)
        let broken = text + "      - alert: BridgeBroken\n        expr: sum by (job) (rate(bridge_events_total[5m])\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-alerts-\(UUID().uuidString).yaml")
        try Data(broken.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let checked = try await ChildProcess.run("promtool", ["check", "rules", file.path])
        #expect(checked.status != 0)
    }

    @Test func everyAlertHasASummaryAndARunbookSection() throws {
        let rules = try AlertRules.load().rules
        #expect(rules.count >= 8, "the guide's alerts: circuit, lag, dead letters, failure ratio, retries, slow API, stalled, down")
        let operations = try PackageRoot.text("docs/operations.md")
        let anchors = MarkdownAnchors.anchors(in: operations)
        for rule in rules {
            #expect(!(rule.annotations["summary"] ?? "").isEmpty, "\(rule.alert) has a summary")
            let runbook = rule.annotations["runbook_url"] ?? ""
            #expect(runbook.hasPrefix("docs/operations.md#"), "\(rule.alert) points into docs/operations.md: \(runbook)")
            let anchor = String(runbook.drop { $0 != "#" }.dropFirst())
            #expect(anchors.contains(anchor), "docs/operations.md has the section #\(anchor) of \(rule.alert)")
        }
        let sections = MarkdownAnchors.subheadings(of: "Alert runbook", in: operations)
        #expect(Set(sections) == Set(rules.map(\.alert)), "one runbook section per alert, no other")
        #expect(rules.map(\.alert).count == Set(rules.map(\.alert)).count, "alert names are unique")
    }

    @Test func thePrometheusRuleHoldsTheSameGroups() throws {
        let manifests = try KubernetesManifests.load()
        let prometheusRule = try manifests.single("PrometheusRule")
        #expect(prometheusRule["apiVersion"] as? String == "monitoring.coreos.com/v1")
        let wrapped = try #require(try KubernetesManifests.value(prometheusRule, at: ["spec"])["groups"])
        #expect(try AlertRules.canonicalJSON(wrapped) == AlertRules.canonicalJSON(try AlertRules.load().groups))
    }

    @Test func theAnchorsAreGitHubs() {
        #expect(MarkdownAnchors.slug("BridgeCircuitOpen") == "bridgecircuitopen")
        #expect(MarkdownAnchors.slug("Metrics and alerts") == "metrics-and-alerts")
        #expect(MarkdownAnchors.slug("`replay` flags") == "replay-flags")
    }
}
