import Foundation
import Testing

/// Every relative link of `README.md` and `docs/*.md` points at a file of the repository, so the
/// documentation of a fresh clone has no dead ends. Web links are skipped; anchors (`#section`)
/// are not checked, only the file they are in.
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
