/// Reads the targets of inline Markdown links (`[text](target)`, `![alt](target "title")`) and
/// the titles of headings, leaving out code blocks and code spans, where that syntax is only text.
enum MarkdownLinks {
    /// Every link target in `markdown`, in order, with its anchor (`docs/contract.md#replies`).
    static func targets(in markdown: String) -> [String] {
        proseLines(of: markdown).flatMap { line in outsideCodeSpans(line).flatMap(linkTargets(in:)) }
    }

    /// The titles of the headings in `markdown` (`## Dead letters` → `Dead letters`).
    static func headingTitles(in markdown: String) -> Set<String> {
        Set(proseLines(of: markdown).compactMap { line -> String? in
            let title = line.drop { $0 == "#" }
            guard title.count < line.count, title.first == " " else { return nil }
            return title.trimmingPrefix(" ").split(separator: " ").joined(separator: " ")
        })
    }

    /// Whether `target` names a file of the repository rather than a web page or a mail address.
    static func isRelative(_ target: String) -> Bool {
        !(target.contains("://") || target.hasPrefix("mailto:"))
    }

    /// `target` without its anchor: empty for a link within the same document (`#section`).
    static func path(of target: String) -> String {
        String(target.prefix { $0 != "#" })
    }

    /// The lines of `markdown` outside fenced code blocks.
    private static func proseLines(of markdown: String) -> [Substring] {
        var inFence = false
        return markdown.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let fence = line.drop { $0 == " " }.hasPrefix("```") || line.drop { $0 == " " }.hasPrefix("~~~")
            if fence { inFence.toggle() }
            return !fence && !inFence
        }
    }

    /// The parts of `line` outside backtick code spans.
    private static func outsideCodeSpans(_ line: Substring) -> [Substring] {
        line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset.isMultiple(of: 2) }
            .map(\.element)
    }

    /// The targets of the `](target)` parts of `text`: up to the closing parenthesis, without a
    /// title or angle brackets.
    private static func linkTargets(in text: Substring) -> [String] {
        var targets: [String] = []
        var rest = text[...]
        while let opening = rest.firstRange(of: "](") {
            var depth = 1
            var end = opening.upperBound
            while end < rest.endIndex {
                if rest[end] == "(" { depth += 1 }
                if rest[end] == ")" { depth -= 1 }
                if depth == 0 { break }
                end = rest.index(after: end)
            }
            let inside = rest[opening.upperBound..<end]
            let target = inside.split(separator: " ").first.map { $0.trimmingPrefix("<") } ?? ""
            targets.append(String(target.hasSuffix(">") ? target.dropLast() : target))
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
        }
        return targets
    }
}
