import Foundation

/// deploy/grafana/kafka-api-bridge.json: its panels' queries and its variables, and the same
/// queries made concrete for Prometheus itself (Grafana's variables substituted).
struct GrafanaDashboard {
    /// The dashboard's path, relative to the repository.
    static let path = "deploy/grafana/kafka-api-bridge.json"

    /// One query of one panel.
    struct Query {
        let panel: String
        let expression: String
    }

    let document: [String: Any]

    static func load() throws -> GrafanaDashboard {
        let data = try Data(contentsOf: PackageRoot.file(path))
        guard let document = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw UnexpectedContentError("\(path) is not a JSON object")
        }
        return GrafanaDashboard(document: document)
    }

    /// Every panel, those inside collapsed rows included.
    var panels: [[String: Any]] {
        let top = document["panels"] as? [[String: Any]] ?? []
        return top + top.flatMap { $0["panels"] as? [[String: Any]] ?? [] }
    }

    /// Every Prometheus query of every panel.
    var queries: [Query] {
        panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                (target["expr"] as? String).map { Query(panel: panel["title"] as? String ?? "?", expression: $0) }
            }
        }
    }

    /// The queries of the `query` variables (e.g. `label_values(bridge_events_total, job)`).
    var variableQueries: [String] {
        let variables = (document["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        return variables.filter { $0["type"] as? String == "query" }.compactMap { variable in
            (variable["query"] as? String) ?? ((variable["query"] as? [String: Any])?["query"] as? String)
        }
    }

    /// A query as Prometheus would get it from Grafana with every option of every variable
    /// chosen: `$job` becomes `.+`, the range variables become five minutes, longer than the
    /// test runs, so a rate still spans the first scrape's zero however slow the machine is.
    static func concrete(_ expression: String) -> String {
        let substitutions = [
            ("${job}", ".+"), ("$job", ".+"),
            ("${__rate_interval}", "5m"), ("$__rate_interval", "5m"), ("$__interval", "5m"), ("$__range", "5m"),
        ]
        return substitutions.reduce(expression) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// Grafana's `label_values(metric, label)` as the PromQL that finds the same values.
    static func labelValuesAsPromQL(_ query: String) -> String? {
        guard query.hasPrefix("label_values("), query.hasSuffix(")") else { return nil }
        let arguments = query.dropFirst("label_values(".count).dropLast().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard arguments.count == 2 else { return nil }
        return "count by (\(arguments[1])) (\(arguments[0]))"
    }
}

/// Names of bridge metrics in PromQL and in Prometheus' text format.
enum MetricNames {
    /// Every `bridge_…` metric name an expression mentions.
    static func bridgeMetrics(in expression: String) -> Set<String> {
        var names: Set<String> = []
        var current = ""
        for character in expression + " " {
            if character.isLetter || character.isNumber || character == "_" || character == ":" {
                current.append(character)
            } else {
                if current.hasPrefix("bridge_") { names.insert(current) }
                current = ""
            }
        }
        return names
    }

    /// The series names a `/metrics` page serves: every `# TYPE` name, with `_bucket`, `_sum` and
    /// `_count` for histograms and summaries.
    static func served(byMetricsPage text: String) -> Set<String> {
        var names: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            guard parts.count >= 4 else { continue }
            let name = String(parts[2])
            names.insert(name)
            if parts[3] == "histogram" || parts[3] == "summary" {
                names.formUnion(["_bucket", "_sum", "_count"].map { name + $0 })
            }
        }
        return names
    }
}
