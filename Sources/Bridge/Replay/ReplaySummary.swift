import Foundation
/// What a replay run did, for the final summary (or, with `--dry-run`, what it would do).
public struct ReplaySummary: Sendable, Equatable {
    /// One line of the dry-run table: dead letters of one source topic, error code and status.
    public struct Group: Sendable, Hashable, Comparable {
        public var sourceTopic: String
        public var errorCode: String
        public var status: String

        public static func < (lhs: Group, rhs: Group) -> Bool {
            (lhs.sourceTopic, lhs.errorCode, lhs.status) < (rhs.sourceTopic, rhs.errorCode, rhs.status)
        }
    }

    /// Records re-published (with `--dry-run`: that would be).
    public var replayed = 0
    /// Records left, by reason.
    public var skipped: [String: Int] = [:]
    /// Records that could not be re-published; the group's position stops before the first of them.
    public var failedToPublish = 0
    /// Dead letters read, by group, and how many of each would be replayed.
    public var groups: [Group: (read: Int, replay: Int)] = [:]

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    public static func == (lhs: ReplaySummary, rhs: ReplaySummary) -> Bool {
        lhs.replayed == rhs.replayed && lhs.skipped == rhs.skipped && lhs.failedToPublish == rhs.failedToPublish
            && lhs.groups.mapValues { [$0.read, $0.replay] } == rhs.groups.mapValues { [$0.read, $0.replay] }
    }

    /// The summary as lines for a terminal.
    public func lines(dryRun: Bool) -> [String] {
        var lines: [String] = []
        if dryRun {
            let rows = groups.keys.sorted().map { group -> [String] in
                let counts = groups[group] ?? (0, 0)
                return [group.sourceTopic, group.errorCode, group.status, String(counts.read), String(counts.replay)]
            }
            let header = ["source topic", "error code", "status", "records", "would replay"]
            var widths = header.map(\.count)
            for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
            let format = { (cells: [String]) in
                cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            }
            lines.append(format(header))
            lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            lines += rows.map(format)
            lines.append("dry run: \(replayed) would be replayed, \(skippedTotal) skipped; nothing written or committed")
        } else {
            lines.append("replayed \(replayed), skipped \(skippedTotal), failed to publish \(failedToPublish)")
        }
        for (reason, count) in skipped.sorted(by: { $0.key < $1.key }) {
            lines.append("  skipped \(count): \(reason)")
        }
        return lines
    }
}
