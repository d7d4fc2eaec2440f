import Foundation
import Kafka
import Logging
import Synchronization
import TestSupport

/// Reads everything the bridges write — every partition of the reply topic and of the dead-letter
/// topic, from offset 0, without joining a group — for as long as a scenario runs, and files each
/// message under the input record it answers.
final class ReplyLedger: Sendable {
    /// One reply as the test needs it.
    struct Reply: Sendable {
        var eventID: String
        var status: String
        var errorCode: String?
    }

    /// One dead letter as the test needs it.
    struct DeadLetter: Sendable {
        var eventID: String
        var errorCode: String
        var status: String
        /// The `dlq.value.omitted` header (a dead letter written without its too large value).
        var valueOmitted: Bool = false
        /// The `dlq.value.bytes` header, when present.
        var valueBytes: Int?
        /// The length of the record's value (`nil` for none).
        var length: Int?
    }

    struct Book: Sendable {
        var replies: [SourcePosition: [Reply]] = [:]
        var deadLetters: [SourcePosition: [DeadLetter]] = [:]
        var replyCount = 0
        var deadLetterCount = 0
        var unreadable = 0
    }

    /// The book behind a lock, in a class so the reading task can share it.
    private final class LockedBook: Sendable {
        let mutex = Mutex(Book())
        func withLock<T>(_ body: (inout Book) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    private let consumer: KafkaConsumer
    private let reader: Task<Void, Never>
    private let book: LockedBook

    init(rig: ResilienceRig) throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: rig.bootstrapServers, groupID: "ledger-\(UUID().uuidString)")
        configuration.properties = ["fetch.wait.max.ms": "20"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: rig.logger)
        try consumer.assign([ResilienceRig.replyTopic, ResilienceRig.dlqTopic].flatMap { topic in
            (0..<rig.partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: 0) }
        })
        let book = LockedBook()
        self.book = book
        self.consumer = consumer
        reader = Task {
            for await record in consumer.records {
                Self.file(record, in: book)
            }
        }
    }

    private static func file(_ record: KafkaRecord, in book: LockedBook) {
        if record.topic == ResilienceRig.dlqTopic {
            func header(_ name: String) -> String? {
                record.headers.last(where: { $0.name == name })?.value.map { String(decoding: $0, as: UTF8.self) }
            }
            guard let topic = header("dlq.source.topic"), let partition = header("dlq.source.partition").flatMap({ Int32($0) }),
                  let offset = header("dlq.source.offset").flatMap({ Int64($0) })
            else { book.withLock { $0.unreadable += 1 }; return }
            let letter = DeadLetter(
                eventID: header("dlq.event.id") ?? "", errorCode: header("dlq.error.code") ?? "", status: header("dlq.status") ?? "",
                valueOmitted: header("dlq.value.omitted") == "true", valueBytes: header("dlq.value.bytes").flatMap { Int($0) },
                length: record.value?.count)
            book.withLock { book in
                book.deadLetters[SourcePosition(topic: topic, partition: partition, offset: offset), default: []].append(letter)
                book.deadLetterCount += 1
            }
            return
        }
        guard let value = record.value, let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
              let source = json["source"] as? [String: Any], let topic = source["topic"] as? String,
              let partition = (source["partition"] as? NSNumber)?.int32Value, let offset = (source["offset"] as? NSNumber)?.int64Value
        else { book.withLock { $0.unreadable += 1 }; return }
        let reply = Reply(
            eventID: json["eventId"] as? String ?? "", status: json["status"] as? String ?? "",
            errorCode: (json["error"] as? [String: Any])?["code"] as? String)
        book.withLock { book in
            book.replies[SourcePosition(topic: topic, partition: partition, offset: offset), default: []].append(reply)
            book.replyCount += 1
        }
    }

    /// A copy of everything read so far.
    var snapshot: Book { book.withLock { $0 } }

    /// How many replies arrived so far.
    var replyCount: Int { book.withLock { $0.replyCount } }

    /// How many of `sources` have at least one reply.
    func answered(_ sources: Set<SourcePosition>) -> Int {
        book.withLock { book in sources.reduce(0) { $0 + (book.replies[$1] == nil ? 0 : 1) } }
    }

    /// Waits until `condition` holds or `timeout` passes; whether it held.
    @discardableResult
    func wait(timeout: Duration, until condition: (ReplyLedger) -> Bool) async -> Bool {
        await eventually(within: timeout, every: .milliseconds(100)) { condition(self) }
    }

    /// Waits until every one of `sources` has a reply, then until nothing new arrived for `quiet`
    /// (so late duplicates are counted too).
    @discardableResult
    func waitForAll(_ sources: Set<SourcePosition>, timeout: Duration, quiet: Duration = .seconds(2)) async -> Bool {
        let complete = await wait(timeout: timeout) { $0.answered(sources) == sources.count }
        await settle(quiet: quiet)
        return complete
    }

    /// Waits until no reply or dead letter arrived for `quiet`.
    func settle(quiet: Duration) async {
        var last = book.withLock { $0.replyCount + $0.deadLetterCount }
        var lastChange = ContinuousClock.now
        while ContinuousClock.now - lastChange < quiet {
            try? await Task.sleep(for: .milliseconds(100))
            let now = book.withLock { $0.replyCount + $0.deadLetterCount }
            if now != last { last = now; lastChange = .now }
        }
    }

    func close() async {
        await consumer.close()
        _ = await reader.value
    }
}

/// What a scenario reports: `scenario N name: events in X, replies Y, duplicates D, dead letters L, lost Z`.
struct ScenarioTally: CustomStringConvertible {
    var number: Int
    var name: String
    var eventsIn: Int
    var replies: Int
    var duplicates: Int
    var deadLetters: Int
    var lost: Int
    /// Sources answered under more than one event id (must be 0).
    var changedIDs: Int
    /// Replies or dead letters the ledger could not read (must be 0).
    var unreadable: Int

    init(number: Int, name: String, sources: [SourcePosition], book: ReplyLedger.Book) {
        self.number = number
        self.name = name
        eventsIn = sources.count
        var replies = 0, answered = 0, lost = 0, changed = 0, letters = 0
        for source in sources {
            let answers = book.replies[source] ?? []
            replies += answers.count
            if answers.isEmpty { lost += 1 } else { answered += 1 }
            if Set(answers.map(\.eventID)).count > 1 { changed += 1 }
            letters += book.deadLetters[source]?.count ?? 0
        }
        self.replies = replies
        duplicates = replies - answered
        deadLetters = letters
        self.lost = lost
        changedIDs = changed
        unreadable = book.unreadable
    }

    var description: String {
        "scenario \(number) \(name): events in \(eventsIn), replies \(replies), duplicates \(duplicates), dead letters \(deadLetters), lost \(lost)"
    }

    /// Prints the line on standard output, where it shows in the test log.
    func print() { report(description) }
}

/// Writes one line to standard output at once (unbuffered), so it shows in the test log in order.
func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
