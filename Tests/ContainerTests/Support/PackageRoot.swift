import Foundation

/// The repository's files, which the container tests read.
enum PackageRoot {
    /// The repository root, found from this file's path (Tests/ContainerTests/Support/ → the root).
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file of the repository by its relative path.
    static func file(_ relativePath: String) -> URL {
        url.appendingPathComponent(relativePath)
    }

    /// The text of a repository file.
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: file(relativePath), encoding: .utf8)
    }
}
