import Foundation
import Yams

/// deploy/prometheus/alerts.yaml, the Prometheus rule file, parsed with Yams.
struct AlertRules {
    /// The rule file's path, relative to the repository.
    static let path = "deploy/prometheus/alerts.yaml"

    /// One alerting rule.
    struct Rule {
        let alert: String
        let expression: String
        let annotations: [String: String]
    }

    /// The `groups` member as parsed, for comparing with the PrometheusRule's.
    let groups: [Any]
    /// Every alerting rule of every group.
    let rules: [Rule]

    static func load() throws -> AlertRules {
        guard let document = try Yams.load(yaml: PackageRoot.text(path)) as? [String: Any],
            let groups = document["groups"] as? [Any]
        else { throw UnexpectedContentError("\(path) has no groups") }
        var rules: [Rule] = []
        for group in groups {
            for rule in (group as? [String: Any])?["rules"] as? [[String: Any]] ?? [] {
                guard let alert = rule["alert"] as? String, let expression = rule["expr"] as? String else {
                    throw UnexpectedContentError("a rule without alert or expr: \(rule)")
                }
                let annotations = (rule["annotations"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
                rules.append(Rule(alert: alert, expression: expression, annotations: annotations))
            }
        }
        return AlertRules(groups: groups, rules: rules)
    }

    /// The parsed value as canonical JSON (sorted keys), so two parses compare byte for byte.
    static func canonicalJSON(_ value: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    }
}

/// The anchors of a Markdown file's headings, as GitHub makes them.
enum MarkdownAnchors {
    static func anchors(in markdown: String) -> Set<String> {
        Set(headings(in: markdown).map { slug($0.title) })
    }

    /// Every heading with its level (`## A` is level 2).
    static func headings(in markdown: String) -> [(level: Int, title: String)] {
        var inFence = false
        var result: [(level: Int, title: String)] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            guard !inFence, line.hasPrefix("#") else { continue }
            let level = line.prefix { $0 == "#" }.count
            let title = line.dropFirst(level)
            guard title.first == " " else { continue }
            result.append((level, title.trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    /// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
    static func slug(_ title: String) -> String {
        String(title.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
        })
    }

    /// The titles of the headings one level below the heading `title`, up to the next heading
    /// of its level or higher.
    static func subheadings(of title: String, in markdown: String) -> [String] {
        let all = headings(in: markdown)
        guard let start = all.firstIndex(where: { $0.title == title }) else { return [] }
        let level = all[start].level
        return all[(start + 1)...].prefix { $0.level > level }.filter { $0.level == level + 1 }.map(\.title)
    }
}
