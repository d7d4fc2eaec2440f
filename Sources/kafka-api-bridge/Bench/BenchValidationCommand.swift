import ArgumentParser
import CustomerAPIs
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kafka-api-bridge bench validation`: events decoded, validated and encoded per second on one core.
///
/// Decodes a mix of valid and invalid sample events of both kinds (``SampleEvents/mixed(count:)``)
/// on the calling thread, each time building the API request body or the rejection, and reports
/// events per CPU-second of the process and per wall-clock second.
struct BenchValidationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validation",
        abstract: "Events decoded, validated and encoded per second on one core."
    )

    @Option(help: "How many events to decode, validate and encode.")
    var events: Int = 1_000_000

    @Option(help: "How many distinct sample events to cycle through.")
    var distinct: Int = 4_096

    func validate() throws {
        guard events > 0 else { throw ValidationError("--events must be positive") }
        guard distinct > 0 else { throw ValidationError("--distinct must be positive") }
    }

    func run() async throws {
        let samples = SampleEvents.mixed(count: min(events, distinct))
        let records = samples.enumerated().map { offset, sample in
            let topic = sample.kind == .customerMetadata ? "customer-events" : "entity-events"
            return (sample.kind, EventRecord(topic: topic, partition: 0, offset: Int64(offset), key: nil, value: sample.value, headers: []))
        }
        let decoder = EventDecoder(settings: EventDecoderSettings())
        for (kind, record) in records { _ = decoder.decode(record, kind: kind) }  // warm-up

        var accepted = 0
        var rejected = 0
        var bodyBytes = 0
        let cpuStart = Self.processCPUSeconds()
        let wallStart = ContinuousClock.now
        for index in 0..<events {
            let (kind, record) = records[index % records.count]
            switch decoder.decode(record, kind: kind).decision {
            case .request(let request):
                accepted += 1
                bodyBytes += request.body.count
            case .rejected:
                rejected += 1
            }
        }
        let wall = ContinuousClock.now - wallStart
        let cpuSeconds = Self.processCPUSeconds() - cpuStart
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18

        print("bench validation: \(events) events (\(accepted) accepted, \(rejected) rejected, \(records.count) distinct), \(bodyBytes) request body bytes")
        print("  cpu:  \(Self.format(cpuSeconds)) s  → \(Self.format(Double(events) / cpuSeconds, digits: 0)) events per CPU-second")
        print("  wall: \(Self.format(wallSeconds)) s  → \(Self.format(Double(events) / wallSeconds, digits: 0)) events per second")
    }

    /// CPU time used by the whole process so far (`CLOCK_PROCESS_CPUTIME_ID`), in seconds.
    static func processCPUSeconds() -> Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec) == 0 else { return 0 }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func format(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "∞" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? String(Int(rounded)) : String(rounded)
    }
}
