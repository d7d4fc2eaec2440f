import Foundation

/// Paths the container tests read: the repository's files and the binary `swift build` made.
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

    /// The `kafka-api-bridge` binary beside the test bundle (`.build/<configuration>/kafka-api-bridge`).
    static var bridgeBinary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("kafka-api-bridge")
    }
}
