import ArgumentParser
import Dispatch
import Foundation
import Kafka
import Logging

/// `kafka-api-bridge dev-broker`: Hosts librdkafka's mock cluster as a standalone Kafka endpoint.
struct DevBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Hosts librdkafka's mock cluster as a standalone Kafka endpoint.",
        discussion: """
            Prints `bootstrap.servers=<address>` on one line, then serves until SIGINT or SIGTERM.
            librdkafka 2.0.2's mock cluster listens on ephemeral ports only, so --port is refused.
            """
    )

    @Option(help: "Number of mock brokers.")
    var brokers = 1

    @Option(name: .customLong("topic"), help: "A topic to create, NAME:PARTITIONS (repeatable).")
    var topics: [String] = []

    @Option(help: "A fixed listen port (not supported by librdkafka 2.0.2's mock cluster).")
    var port: Int?

    func validate() throws {
        if port != nil {
            throw ValidationError("--port is not supported: librdkafka 2.0.2's mock cluster binds ephemeral ports only")
        }
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        for topic in topics { _ = try Self.parseTopic(topic) }
    }

    static func parseTopic(_ text: String) throws -> (name: String, partitions: Int32) {
        guard let colon = text.lastIndex(of: ":"), let partitions = Int32(text[text.index(after: colon)...]),
              partitions > 0, colon != text.startIndex
        else { throw ValidationError("--topic expects NAME:PARTITIONS, got '\(text)'") }
        return (String(text[..<colon]), partitions)
    }

    func run() async throws {
        var logger = Logger(label: "dev-broker")
        logger.logLevel = .warning
        let cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
        for topic in topics {
            let (name, partitions) = try Self.parseTopic(topic)
            try cluster.createTopic(name, partitions: partitions)
        }
        // Written straight to the file descriptor, so a parent process sees it at once.
        FileHandle.standardOutput.write(Data("bootstrap.servers=\(cluster.bootstrapServers)\n".utf8))
        await Self.waitForTerminationSignal()
        cluster.close()
    }

    /// Returns when the process receives SIGINT or SIGTERM.
    private static func waitForTerminationSignal() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "dev-broker.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = SignalOnce(continuation)
            for signalNumber in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { once.fire() }
                source.resume()
                once.keep(source)
            }
        }
    }
}

/// Resumes the waiting task on the first signal and keeps the signal sources alive.
///
/// Safety of `@unchecked Sendable`: both mutable properties are read and written only with
/// `lock` held (`fire` runs on the signal queue, `keep` on the caller's thread).
private final class SignalOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func keep(_ source: any DispatchSourceSignal) {
        lock.withLock { sources.append(source) }
    }

    func fire() {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume()
    }
}
