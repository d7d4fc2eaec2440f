/// Reads the targets of inline Markdown links (`[text](target)`, `![alt](target "title")`),
/// leaving out code blocks and code spans, where link syntax is only text.
enum MarkdownLinks {
    /// Every link target in `markdown`, in order, with its anchor (`docs/contract.md#replies`).
    static func targets(in markdown: String) -> [String] {
        var inFence = false
        var targets: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            guard !inFence else { continue }
            for prose in outsideCodeSpans(line) {
                targets += linkTargets(in: prose)
            }
        }
        return targets
    }

    /// Whether `target` names a file of the repository rather than a web page or a mail address.
    static func isRelative(_ target: String) -> Bool {
        !(target.contains("://") || target.hasPrefix("mailto:"))
    }

    /// `target` without its anchor: empty for a link within the same document (`#section`).
    static func path(of target: String) -> String {
        String(target.prefix { $0 != "#" })
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
