import APISimulator
import Bridge
import AsyncHTTPClient
import Foundation
import Kafka
import Logging
import NIOCore
import NIOHTTP1

/// Drains a backlog through a `kafka-api-bridge run` child process and measures it.
struct PipelineBench {
    var events: Int
    var partitions: Int32
    var keys: Int
    var latency: Duration
    var maxInFlight: Int
    var ordering: String
    var rate: Int
    /// The `kafka-api-bridge` binary to run as the bridge (`nil`: this one), to compare builds.
    var bridgeExecutable: String?
    var logger: Logger

    struct Result {
        var events: Int
        var seconds: Double
        var peakRSSKiB: Int
        /// CPU time (user + system) per event of the bridge process and of this process (the mock
        /// cluster and the API simulator), in microseconds, over the timed part.
        var cpuMicrosecondsPerEvent: (bridge: Double, harness: Double)
        var latencyMs: Int
        var command: String
        var percentiles: (p50: Int64, p99: Int64, p999: Int64)?

        var table: String {
            let rate = Double(events) / seconds
            let latency = percentiles.map { "\($0.p50) / \($0.p99) / \($0.p999) ms" } ?? "— (backlog)"
            let cpu = "\(Int(cpuMicrosecondsPerEvent.bridge.rounded())) / \(Int(cpuMicrosecondsPerEvent.harness.rounded()))"
            return """
                | events | API latency | ordering / in flight | seconds | events/s | end-to-end p50 / p99 / p999 | bridge peak RSS | CPU µs per event: bridge / mock + simulator |
                |---:|---:|---|---:|---:|---|---:|---:|
                | \(events) | \(latencyMs) ms | \(command) | \(String(format: "%.2f", seconds)) | \(Int(rate)) | \(latency) | \(peakRSSKiB / 1024) MiB | \(cpu) |
                """
        }
    }

    func run() async throws -> Result {
        let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
        defer { cluster.close() }
        for topic in ["customer-events", "entity-events", "bridge-replies", "bridge-dlq"] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        // Logs nothing and keeps no metadata: Hummingbird sets a request id on the logger of every
        // request, and swift-log's default stream handler formats all metadata again on each set.
        let simulatorLogger = Logger(label: "api-simulator") { _ in SwiftLogNoOpLogHandler() }
        let simulator = APISimulator(recording: .none, logger: simulatorLogger)
        _ = try await simulator.start(host: "127.0.0.1", port: 0)
        if latency > .zero { simulator.setLatency(latency) }

        if rate == 0 {
            print("producing a backlog of \(events) events over \(keys) keys into \(partitions) partitions…")
            try await produceBacklog(bootstrapServers: cluster.bootstrapServers)
        }

        let httpPort = try freePort()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: bridgeExecutable ?? "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["run"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KAFKA_") && !$0.key.hasPrefix("BRIDGE_") }
        environment.merge([
            "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
            "BRIDGE_GROUP_ID": "bench-\(UInt32.random(in: 0...UInt32.max))",
            "ASAPP_BASE_URL": simulator.baseURL,
            "ASAPP_API_ID": SimulatorCredentials.default.apiId,
            "ASAPP_API_SECRET": SimulatorCredentials.default.apiSecret,
            "EXTERNAL_PARAMS_BASE_URL": simulator.baseURL,
            "EXTERNAL_PARAMS_TOKEN": SimulatorCredentials.default.token,
            "BRIDGE_HTTP_PORT": String(httpPort),
            "BRIDGE_MAX_IN_FLIGHT": String(maxInFlight),
            "BRIDGE_ORDERING": ordering,
            "BRIDGE_LOG_LEVEL": "warning",
            "KAFKA_SESSION_TIMEOUT_MS": "6000",
            "KAFKA_FETCH_WAIT_MAX_MS": "10",
        ]) { $1 }
        child.environment = environment
        try child.run()

        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let recorder = LatencyRecorder()
        var paced: Task<Void, any Error>?
        var replyReader: (consumer: KafkaConsumer, task: Task<Void, Never>)?
        if rate > 0 {
            try await waitUntilReady(http: http, port: httpPort, child: child)
            var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "bench-replies-\(httpPort)")
            configuration.properties = ["fetch.wait.max.ms": "10", "session.timeout.ms": "6000"]
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            try consumer.subscribe(topics: ["bridge-replies"])
            replyReader = (consumer, Task { for await reply in consumer.records { recorder.replied(reply) } })
            print("producing \(events) events at \(rate)/s over \(keys) keys into \(partitions) partitions while the bridge runs…")
            let bootstrapServers = cluster.bootstrapServers
            paced = Task { try await producePaced(bootstrapServers: bootstrapServers, recorder: recorder) }
        }
        var progress = ProgressLine(total: events)
        var peakRSS = 0
        var firstDone: ContinuousClock.Instant?
        var cpuAtFirst = (bridge: 0.0, harness: 0.0)
        var firstCount = 0
        var done = 0
        let deadline = ContinuousClock.now + .seconds(Int64(max(120, events / 1_000)))
        while done < events, ContinuousClock.now < deadline, child.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            peakRSS = max(peakRSS, Self.peakRSSKiB(pid: child.processIdentifier))
            guard let count = try? await completedEvents(http: http, port: httpPort) else { continue }
            if firstDone == nil, count > 0 {
                firstDone = .now
                cpuAtFirst = (Self.cpuSeconds(pid: child.processIdentifier), Self.cpuSeconds(pid: getpid()))
                firstCount = count
            }
            done = count
            progress.update(done, "events replied")
        }
        progress.finish()
        let finished = ContinuousClock.now
        let cpuAtEnd = (bridge: Self.cpuSeconds(pid: child.processIdentifier), harness: Self.cpuSeconds(pid: getpid()))
        if let paced { try await paced.value }
        if let replyReader {
            let readDeadline = ContinuousClock.now + .seconds(30)
            while recorder.repliedCount < events, ContinuousClock.now < readDeadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            await replyReader.consumer.close()
            _ = await replyReader.task.value
        }
        peakRSS = max(peakRSS, Self.peakRSSKiB(pid: child.processIdentifier))
        child.terminate()
        child.waitUntilExit()
        try await http.shutdown()
        await simulator.stop()
        guard done >= events, let firstDone else {
            throw BenchFailure(message: "the bridge replied to \(done) of \(events) events before the deadline")
        }
        let elapsed = finished - firstDone
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let timedEvents = Double(max(1, done - firstCount))
        return Result(
            events: events - firstCount, seconds: seconds, peakRSSKiB: peakRSS,
            cpuMicrosecondsPerEvent: (
                (cpuAtEnd.bridge - cpuAtFirst.bridge) * 1e6 / timedEvents, (cpuAtEnd.harness - cpuAtFirst.harness) * 1e6 / timedEvents),
            latencyMs: Int(latency.components.seconds * 1000 + latency.components.attoseconds / 1_000_000_000_000_000),
            command: "\(ordering) / \(maxInFlight)", percentiles: rate > 0 ? recorder.percentiles() : nil)
    }

    /// Waits until the bridge's `/readyz` answers 200 (partitions assigned).
    private func waitUntilReady(http: HTTPClient, port: Int, child: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, child.isRunning {
            if let response = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(1)),
                response.status.code == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure(message: "the bridge did not become ready")
    }

    /// Produces `events` events at `rate` per second, in a batch every 10 ms, noting when each was produced.
    private func producePaced(bootstrapServers: String, recorder: LatencyRecorder) async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.lingerMs = 1
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let start = ContinuousClock.now
        var sent = 0
        while sent < events {
            // How many should be out by now, from the time elapsed (a slow send is caught up on).
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let due = min(events, Int(Double(rate) * seconds) + 1)
            if due > sent {
                let now = Timestamp.now.milliseconds
                let batch = (sent..<due).map { index in
                    KafkaOutgoingRecord(
                        topic: "customer-events", key: Array("key-\(index % keys)".utf8), value: Array(eventJSON(index).utf8),
                        timestamp: now)
                }
                for result in try await producer.send(batch: batch) {
                    let report = try result.get()
                    recorder.produced(partition: report.partition, offset: report.offset, at: now)
                }
                sent = due
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        await producer.close()
    }

    private func eventJSON(_ index: Int) -> String {
        """
        {"conversationId":"conversation-\(index)","customerId":"customer-\(index % keys)","eventId":"bench-\(index)",\
        "status":"new","email":"user\(index % keys)@example.com","userId":"user\(index % keys)",\
        "address":{"country":"United States","state":"New York","zipcode":"10001"},\
        "attributes":{"plan":"gold","seq":\(index)}}
        """
    }

    private func produceBacklog(bootstrapServers: String) async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.properties = ["queue.buffering.max.messages": "1000000"]
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let chunk = 10_000
        var sent = 0
        while sent < events {
            let batch = (sent..<min(sent + chunk, events)).map { index in
                KafkaOutgoingRecord(topic: "customer-events", key: Array("key-\(index % keys)".utf8), value: Array(eventJSON(index).utf8))
            }
            for result in try await producer.send(batch: batch) { _ = try result.get() }
            sent += batch.count
        }
        await producer.close()
    }

    /// The sum of `bridge_events_total` on the bridge's `/metrics`.
    private func completedEvents(http: HTTPClient, port: Int) async throws -> Int {
        let response = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(2))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        var total = 0.0
        for line in body.split(separator: "\n") where line.hasPrefix("bridge_events_total") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total += value }
        }
        return Int(total)
    }

    /// User plus system CPU time of a process so far, in seconds (0 when it cannot be read).
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let afterName = stat.lastIndex(of: ")")
        else { return 0 }
        // After "pid (name)": state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmHWM of a process, in KiB (0 when it cannot be read).
    static func peakRSSKiB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    private func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw BenchFailure(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
