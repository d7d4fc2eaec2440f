import Foundation

/// Figures measured and written into docs/performance.md, read back so that deploy/ follows them.
enum MeasuredFigures {
    /// The highest "bridge peak RSS" in MiB of the tables of docs/performance.md's pipeline
    /// section, or nil when the section or the column is missing.
    static func peakRSSMebibytes() throws -> Int? {
        let document = try PackageRoot.text("docs/performance.md")
        guard let start = document.range(of: "\n## The pipeline\n") else { return nil }
        let section = document[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var column: Int?
        var peak: Int?
        for line in section.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if let index = cells.firstIndex(where: { $0.localizedCaseInsensitiveContains("peak RSS") }) {
                column = index
                continue
            }
            guard let column, column < cells.count else { continue }
            for figure in mebibytes(in: cells[column]) { peak = max(peak ?? figure, figure) }
        }
        return peak
    }

    /// Every `N MiB` figure in a text.
    static func mebibytes(in text: String) -> [Int] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," })
        return zip(words, words.dropFirst()).compactMap { number, unit in unit.hasPrefix("MiB") ? Int(number) : nil }
    }
}

/// Kubernetes memory quantities (`128Mi`, `1Gi`, `134217728`, `128M`) in MiB.
enum MemoryQuantity {
    static func mebibytes(_ quantity: Any?) -> Double? {
        if let bytes = quantity as? Int { return Double(bytes) / 1_048_576 }
        guard let text = quantity as? String else { return nil }
        let units: [(String, Double)] = [
            ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000),
        ]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor / 1_048_576 }
        }
        return Double(text).map { $0 / 1_048_576 }
    }
}
