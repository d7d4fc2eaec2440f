import Foundation
import Testing

/// Every relative link of `README.md` and `docs/*.md` points at a file of the repository, so the
/// documentation of a fresh clone has no dead ends. Web links are skipped; anchors (`#section`)
/// are not checked, only the file they are in. Every section a comment cites by its title
/// (`docs/contract.md, "Dead letters"`) is a heading of that document.
@Suite struct DocumentationLinksTests {
    /// The package root, found from this file's path (Tests/BridgeTests/ → the package root).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .standardizedFileURL

    /// `README.md` and every Markdown file in `docs/`, relative to the root.
    static func documents() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
    }

    @Test func everyRelativeLinkPointsAtAFileOfTheRepository() throws {
        let documents = try Self.documents()
        #expect(documents.contains("docs/contract.md"), "the contract is in the repository")
        var checked = 0
        for document in documents {
            let file = Self.root.appendingPathComponent(document)
            let text = try String(contentsOf: file, encoding: .utf8)
            for target in MarkdownLinks.targets(in: text) where MarkdownLinks.isRelative(target) {
                let path = MarkdownLinks.path(of: target)
                guard !path.isEmpty else { continue }
                let resolved = file.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path
                #expect(resolved.hasPrefix(Self.root.path + "/"), "\(document) links to \(target), outside the repository")
                #expect(FileManager.default.fileExists(atPath: resolved), "\(document) links to \(target), which does not exist")
                checked += 1
            }
        }
        #expect(checked > 20, "the README and docs/ link to each other (\(checked) links checked)")
    }

    /// The files of the folders whose comments cite the documentation.
    static func citingFiles() -> [URL] {
        ["Sources", "Tests", "Fuzz", "deploy", "docker", "scripts"].flatMap { folder -> [URL] in
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder), includingPropertiesForKeys: [.isRegularFileKey])
            return (enumerator?.allObjects ?? []).compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        }
    }

    @Test func everyCitedSectionIsAHeadingOfItsDocument() throws {
        var checked = 0
        for file in Self.citingFiles() {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let source = file.path.dropFirst(Self.root.path.count + 1)
            for citation in DocumentCitation.citations(in: text) {
                let document = try? String(contentsOf: Self.root.appendingPathComponent(citation.document), encoding: .utf8)
                let titles = document.map(MarkdownLinks.headingTitles(in:)) ?? []
                #expect(titles.contains(citation.section), "\(source) cites \(citation), which is not a heading there")
                checked += 1
            }
        }
        #expect(checked > 40, "the code cites the contract by section (\(checked) citations checked)")
    }

    @Test func citationsAreReadAcrossCommentLines() {
        let text = """
            /// as docs/contract.md, "Dead letters", says; a whole page: docs/operations.md, no title.
            /// the probe rules (docs/testing.md,
            /// "Fuzzing") and # docs/contract.md,
            # "Replay"
            """
        #expect(DocumentCitation.citations(in: text) == [
            DocumentCitation(document: "docs/contract.md", section: "Dead letters"),
            DocumentCitation(document: "docs/testing.md", section: "Fuzzing"),
            DocumentCitation(document: "docs/contract.md", section: "Replay"),
        ])
        #expect(MarkdownLinks.headingTitles(in: "# Title\n## Dead  letters \n```\n# not one\n```\n#tag") == [
            "Title", "Dead letters",
        ])
    }

    @Test func linksAreReadOutsideCodeOnly() {
        let text = """
            See [the contract](docs/contract.md#replies), [a page](https://example.com) and \
            ![a picture](images/x.png "title").
            `[in a code span](span.md)` and [after it](<after.md>)
            ```
            [in a fence](fence.md)
            ```
            """
        #expect(MarkdownLinks.targets(in: text) == [
            "docs/contract.md#replies", "https://example.com", "images/x.png", "after.md",
        ])
        #expect(MarkdownLinks.isRelative("docs/contract.md#replies"))
        #expect(!MarkdownLinks.isRelative("https://example.com"))
        #expect(MarkdownLinks.path(of: "docs/contract.md#replies") == "docs/contract.md")
        #expect(MarkdownLinks.path(of: "#replies").isEmpty)
    }
}
