/// A comment's citation of a section of the documentation: `docs/contract.md, "Dead letters"`,
/// the quoted title possibly on the next comment line.
struct DocumentCitation: Equatable, CustomStringConvertible {
    /// The cited document, relative to the package root (`docs/contract.md`).
    var document: String
    /// The title of the cited section, as its heading spells it.
    var section: String

    var description: String { "\(document), \"\(section)\"" }

    /// Every citation in `text`, in order. A document named without a quoted title after its
    /// comma cites the whole document and is left out.
    static func citations(in text: String) -> [DocumentCitation] {
        var citations: [DocumentCitation] = []
        var rest = text[...]
        while let start = rest.firstRange(of: "docs/") {
            rest = rest[start.upperBound...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            let afterName = rest[name.endIndex...]
            guard !name.isEmpty, afterName.hasPrefix(".md,") else { continue }
            let afterComma = afterName.dropFirst(4)
            let quoted = afterComma.drop { $0 == " " || $0 == "\n" || $0 == "/" || $0 == "#" }
            guard quoted.first == "\"" else { continue }
            let title = quoted.dropFirst().prefix { $0 != "\"" && $0 != "\n" }
            citations.append(DocumentCitation(document: "docs/\(name).md", section: String(title)))
        }
        return citations
    }
}
