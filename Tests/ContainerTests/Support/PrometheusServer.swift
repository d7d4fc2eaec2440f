import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// A real Prometheus (Debian's `/usr/bin/prometheus`) on loopback, scraping one target every
/// second with the given rule files loaded, its storage in a temporary directory of its own.
final class PrometheusServer: Sendable {
    /// The answer of `/api/v1/query`: `status` is `success` or `error`.
    struct QueryAnswer {
        let status: String
        let error: String?
        /// The instant vector's samples: labels and value (a scalar answer gives one sample).
        let samples: [(labels: [String: String], value: Double)]
    }

    let child: ChildProcess
    let baseURL: String
    private let directory: URL

    /// The job name of the scrape configuration.
    static let jobName = "kafka-api-bridge"

    /// Starts Prometheus scraping `target` (`host:port`) and waits until it is ready.
    init(target: String, ruleFiles: [String]) async throws {
        guard let executable = ChildProcess.onPath("prometheus") else {
            throw ChildProcessError(description: "prometheus is missing: run scripts/install-deps")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rules = ruleFiles.map { "  - \"\($0)\"" }.joined(separator: "\n")
        let configuration = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
            \(rules)
            scrape_configs:
              - job_name: \(Self.jobName)
                static_configs:
                  - targets: ["\(target)"]

            """
        let configurationFile = directory.appendingPathComponent("prometheus.yml")
        try Data(configuration.utf8).write(to: configurationFile)
        let port = try LoopbackPort.free()
        baseURL = "http://127.0.0.1:\(port)"
        child = try ChildProcess(executable, [
            "--config.file=\(configurationFile.path)",
            "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--log.level=warn",
        ])
        let deadline = ContinuousClock.now + .seconds(60)
        while try await status(of: "/-/ready") != 200 {
            guard child.process.isRunning else {
                throw ChildProcessError(description: "prometheus exited (\(child.process.terminationStatus)): \(child.errorOutput.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                throw ChildProcessError(description: "prometheus not ready in time: \(child.errorOutput.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    deinit {
        child.killIfRunning()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the server (SIGTERM) and returns its exit status.
    func stop() async -> Int32 {
        await child.terminate(timeout: .seconds(20))
    }

    /// Evaluates an expression at the current time through `/api/v1/query`.
    func query(_ expression: String) async throws -> QueryAnswer {
        let document = try await post("/api/v1/query", form: ["query": expression])
        let status = document["status"] as? String ?? "missing"
        let data = document["data"] as? [String: Any] ?? [:]
        var samples: [(labels: [String: String], value: Double)] = []
        switch data["resultType"] as? String {
        case "vector":
            for item in data["result"] as? [[String: Any]] ?? [] {
                let labels = item["metric"] as? [String: String] ?? [:]
                samples.append((labels, Self.number((item["value"] as? [Any])?.last)))
            }
        case "scalar":
            samples.append(([:], Self.number((data["result"] as? [Any])?.last)))
        default:
            break
        }
        return QueryAnswer(status: status, error: document["error"] as? String, samples: samples)
    }

    /// The alerting rules loaded, from `/api/v1/rules`: name, health and last error.
    func alertingRules() async throws -> [(name: String, health: String, lastError: String)] {
        let document = try await get("/api/v1/rules?type=alert")
        let groups = (document["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        return groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }.map { rule in
            (rule["name"] as? String ?? "", rule["health"] as? String ?? "", rule["lastError"] as? String ?? "")
        }
    }

    /// A sample value as Prometheus writes it (a string such as `"1.5"` or `"NaN"`).
    private static func number(_ value: Any?) -> Double {
        (value as? String).flatMap(Double.init) ?? .nan
    }

    private func status(of path: String) async throws -> Int {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        do {
            let (_, response) = try await URLSession.shared.data(from: url)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            return 0  // not listening yet
        }
    }

    private func get(_ path: String) async throws -> [String: Any] {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        let (body, _) = try await URLSession.shared.data(from: url)
        return try Self.object(body)
    }

    private func post(_ path: String, form: [String: String]) async throws -> [String: Any] {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "content-type")
        request.httpBody = Data(form.map { "\(Self.formEncoded($0.key))=\(Self.formEncoded($0.value))" }.joined(separator: "&").utf8)
        let (body, _) = try await URLSession.shared.data(for: request)
        return try Self.object(body)
    }

    /// Percent-encodes everything but unreserved characters (`+` would read as a space).
    private static func formEncoded(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private static func object(_ body: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw UnexpectedContentError("not a JSON object: \(String(decoding: body, as: UTF8.self).prefix(500))")
        }
        return object
    }
}
