import ArgumentParser
import Foundation
import Synchronization
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
        Self.installTerminationHandlers()
        // Written straight to the file descriptor, so a parent process sees it at once.
        FileHandle.standardOutput.write(Data("bootstrap.servers=\(cluster.bootstrapServers)\n".utf8))
        await Self.waitForTerminationSignal()
        cluster.close()
    }

    /// Set by the signal handler; polled by `waitForTerminationSignal`.
    private static let terminationRequested = Atomic<Bool>(false)

    /// Catches SIGINT and SIGTERM (also when SIGINT was ignored, as in a background job of a
    /// non-interactive shell); installed before the address is printed, so no signal is missed.
    private static func installTerminationHandlers() {
        _ = terminationRequested.load(ordering: .relaxed)  // initialized before a handler can run
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in DevBrokerCommand.terminationRequested.store(true, ordering: .relaxed) }
        }
    }

    /// Returns once SIGINT or SIGTERM arrived.
    private static func waitForTerminationSignal() async {
        while !terminationRequested.load(ordering: .relaxed) {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
