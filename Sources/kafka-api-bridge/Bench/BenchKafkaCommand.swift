import ArgumentParser
import Foundation
import Kafka
import Logging

/// `kafka-api-bridge bench kafka`: Produce then consume records through the Swift Kafka layer, beside kcat on the same mock cluster.
struct BenchKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Produce then consume records through the Swift Kafka layer, beside kcat on the same mock cluster."
    )

    @Option(help: "Records per direction.")
    var records = 1_000_000

    @Option(help: "Value size in bytes.")
    var valueSize = 300

    @Option(help: "Partitions per topic (the mock keeps only ~5 MiB per partition).")
    var partitions: Int32 = 128

    @Option(help: "Records per send(batch:) call.")
    var batchSize = 10_000

    @Option(help: "send(batch:) calls in flight at once.")
    var inFlight = 8

    @Option(help: "The Swift consumer's bufferCapacity.")
    var bufferCapacity = 10_000

    @Option(help: "librdkafka's queued.min.messages for both consumers (its default is 100000).")
    var queuedMinMessages = 1_000_000

    @Option(help: "librdkafka's queued.max.messages.kbytes for both consumers (its default is 65536).")
    var queuedMaxKilobytes = 262_144

    @Option(help: "The kcat executable.")
    var kcat = "kcat"

    @Flag(help: "Print when each tenth of the records had arrived, for every consumer run (to see stalls).")
    var progress = false

    func run() async throws {
        var logger = Logger(label: "bench-kafka")
        logger.logLevel = .error
        let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
        defer { cluster.close() }
        let swiftTopic = "bench-swift", kcatTopic = "bench-kcat"
        try cluster.createTopic(swiftTopic, partitions: partitions)
        try cluster.createTopic(kcatTopic, partitions: partitions)
        print("mock cluster \(cluster.bootstrapServers), \(records) records of \(valueSize) bytes, \(partitions) partitions, librdkafka \(librdkafkaVersion)")
        print("consumers with raised queue limits: queued.min.messages=\(queuedMinMessages), queued.max.messages.kbytes=\(queuedMaxKilobytes)")

        let value = [UInt8](repeating: UInt8(ascii: "x"), count: valueSize)
        let swiftProduce = try await produceWithSwift(cluster: cluster, topic: swiftTopic, value: value, logger: logger)
        let kcatProduce = try produceWithKcat(cluster: cluster, topic: kcatTopic, value: value)
        let raised = consumerQueueProperties
        let swiftConsume = try await consumeWithSwift(cluster: cluster, topic: swiftTopic, properties: raised, logger: logger)
        let kcatConsume = try consumeWithKcat(cluster: cluster, topic: kcatTopic, properties: raised)
        let swiftDefaults = try await consumeWithSwift(cluster: cluster, topic: swiftTopic, properties: [], logger: logger)
        let kcatDefaults = try consumeWithKcat(cluster: cluster, topic: kcatTopic, properties: [])

        func line(_ label: String, _ run: Run) -> String {
            String(
                format: "%@ %10.0f records/s (%.2f s, CPU %.2f s = %.2f µs/record)",
                label, Double(records) / run.seconds, run.seconds, run.cpuSeconds, run.cpuSeconds / Double(records) * 1e6)
        }
        print(line("produce swift", swiftProduce))
        print(line("produce kcat ", kcatProduce))
        print(String(format: "produce swift/kcat: %.0f%%", kcatProduce.seconds / swiftProduce.seconds * 100))
        print(line("consume swift", swiftConsume))
        print(line("consume kcat ", kcatConsume))
        print(line("consume swift, default limits", swiftDefaults))
        print(line("consume kcat,  default limits", kcatDefaults))
        // Against kcat's faster run of the two, whichever limits gave it.
        let bestKcat = min(kcatConsume.seconds, kcatDefaults.seconds)
        print(String(format: "consume swift/kcat: %.0f%% (raised limits against kcat's faster run; with librdkafka's default limits: %.0f%%)",
                     bestKcat / swiftConsume.seconds * 100, kcatDefaults.seconds / swiftDefaults.seconds * 100))
    }

    /// Seconds from the first send until the last acknowledgement. Keys are built once (as kcat
    /// reads them from a prepared file), so the time is the layer's, not the key formatting's.
    private func produceWithSwift(cluster: KafkaMockCluster, topic: String, value: [UInt8], logger: Logger) async throws -> Run {
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.lingerMs = 5
        configuration.properties["batch.num.messages"] = "10000"
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let total = records, batchSize = batchSize, inFlight = inFlight
        let keys = (0..<Self.distinctKeys).map { Array("key-\($0)".utf8) }
        let start = Run.Start()
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var failures = 0
            func addBatch() {
                let range = next..<min(next + batchSize, total)
                next = range.upperBound
                group.addTask {
                    let batch = range.map { index in
                        KafkaOutgoingRecord(topic: topic, key: keys[index % keys.count], value: value)
                    }
                    return try await producer.send(batch: batch).reduce(0) { count, result in
                        if case .failure = result { return count + 1 }
                        return count
                    }
                }
            }
            for _ in 0..<inFlight where next < total { addBatch() }
            while let failed = try await group.next() {
                failures += failed
                if next < total { addBatch() }
            }
            return failures
        }
        let run = start.finish()
        await producer.close()
        if failures > 0 { print("swift producer: \(failures) records failed") }
        return run
    }

    /// Seconds from the first record until the last (the group join before it is not counted).
    private func consumeWithSwift(
        cluster: KafkaMockCluster, topic: String, properties: [(name: String, value: String)], logger: Logger
    ) async throws -> Run {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "bench-swift-\(UInt32.random(in: 0...UInt32.max))")
        configuration.sessionTimeout = .seconds(6)
        configuration.bufferCapacity = bufferCapacity
        for (name, value) in properties { configuration.properties[name] = value }
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: [topic])
        var count = 0
        var bytes = 0
        var start: Run.Start?
        var marks = ProgressMarks(total: records)
        for await record in consumer.records {
            if start == nil { start = Run.Start() }
            count += 1
            bytes += record.value?.count ?? 0
            if progress { marks.reached(count, since: start?.instant) }
            if count == records { break }
        }
        let run = start?.finish() ?? Run(seconds: 0, cpuSeconds: 0)
        if progress { print("swift consumer \(properties.isEmpty ? "default" : "raised") limits: \(marks)") }
        await consumer.close()
        if count != records { print("swift consumer: only \(count) records") }
        _ = bytes
        return run
    }

    /// Seconds of the whole kcat process producing from a file (it waits for every acknowledgement;
    /// its start-up and reading the file are counted, the Swift producer's creation is not).
    private func produceWithKcat(cluster: KafkaMockCluster, topic: String, value: [UInt8]) throws -> Run {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-kafka-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let valueText = String(decoding: value, as: UTF8.self)
        var data = Data()
        data.reserveCapacity(records * (valueSize + 12))
        for index in 0..<records {
            data.append(contentsOf: Array("key-\(index % Self.distinctKeys)\t\(valueText)\n".utf8))
        }
        try data.write(to: file)
        return try runKcat([
            "-P", "-b", cluster.bootstrapServers, "-t", topic, "-K", "\t", "-l",
            "-X", "linger.ms=5", "-X", "batch.num.messages=10000", "-X", "queue.buffering.max.messages=1000000",
            file.path,
        ])
    }

    /// Seconds from kcat's first output (its first record) until it exits after the last record,
    /// measured like the Swift consumer: from the first record to the last.
    private func consumeWithKcat(cluster: KafkaMockCluster, topic: String, properties: [(name: String, value: String)]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [kcat, "-C", "-b", cluster.bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%o\n", "-c", String(records)]
            + properties.flatMap { ["-X", "\($0.name)=\($0.value)"] }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading
        var start: Run.Start?
        var lines = 0
        var marks = ProgressMarks(total: records)
        while true {
            let chunk = output.availableData
            if chunk.isEmpty { break }
            if start == nil { start = Run.Start() }
            lines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            if progress { marks.reached(lines, since: start?.instant) }
        }
        process.waitUntilExit()
        let run = start?.finish() ?? Run(seconds: 0, cpuSeconds: 0)
        if progress { print("kcat consumer \(properties.isEmpty ? "default" : "raised") limits: \(marks)") }
        guard process.terminationStatus == 0 else { throw ValidationError("kcat -C exited with \(process.terminationStatus)") }
        if lines != records { print("kcat consumer: only \(lines) records") }
        return run
    }

    private func runKcat(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [kcat] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let start = Run.Start()
        try process.run()
        process.waitUntilExit()
        let run = start.finish()
        guard process.terminationStatus == 0 else {
            throw ValidationError("kcat \(arguments.first ?? "") exited with \(process.terminationStatus)")
        }
        return run
    }

    /// The raised consumer queue limits. librdkafka 2.0.2 stops fetching for about a second
    /// whenever its consumer queue passes either limit; a consumer slower than the fetcher (the
    /// Swift layer here, on two cores) passes the defaults every few hundred thousand records and
    /// then waits with nothing to read, while kcat, which keeps up, does not. Both clients consume
    /// with these limits and again with librdkafka's, and the ratio is taken against kcat's faster
    /// run, so raising them cannot favour the Swift layer.
    private var consumerQueueProperties: [(name: String, value: String)] {
        [("queued.min.messages", String(queuedMinMessages)), ("queued.max.messages.kbytes", String(queuedMaxKilobytes))]
    }

    /// Keys cycle through this many values, in both clients.
    private static let distinctKeys = 10_000
}

/// When each tenth of a run's records had arrived, in seconds since its first record.
private struct ProgressMarks: CustomStringConvertible {
    let total: Int
    private var seconds: [Double] = []

    init(total: Int) {
        self.total = total
    }

    /// Notes the time for every tenth `count` passed since the last call.
    mutating func reached(_ count: Int, since start: ContinuousClock.Instant?) {
        guard let start, total > 0 else { return }
        while seconds.count < 10, count >= total * (seconds.count + 1) / 10 {
            seconds.append((ContinuousClock.now - start).seconds)
        }
    }

    var description: String {
        "tenths at " + seconds.map { String(format: "%.2f", $0) }.joined(separator: " ") + " s"
    }
}

/// One measured direction: wall-clock seconds and the CPU seconds spent meanwhile by this
/// process (the Swift client and the mock cluster) and by the kcat processes it waited for.
private struct Run {
    var seconds: Double
    var cpuSeconds: Double

    /// The clock and CPU readings at the start of a run.
    struct Start {
        let instant = ContinuousClock.now
        let cpu = Run.cpuSecondsSoFar()

        func finish() -> Run {
            Run(seconds: (ContinuousClock.now - instant).seconds, cpuSeconds: Run.cpuSecondsSoFar() - cpu)
        }
    }

    /// User and system CPU seconds of this process plus its waited-for children.
    static func cpuSecondsSoFar() -> Double {
        var own = rusage()
        var children = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(own.ru_utime) + seconds(own.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
