import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import TestSupport

@testable import APISimulator

/// A running simulator on 127.0.0.1 and a client calling it over real HTTP.
struct SimulatorHarness {
    let simulator: APISimulator
    let client: HTTPClient

    static let customerMetadataPath = "/metadata-ingestion/v1/single-customer-metadata"
    static let customerId = "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10"
    static let entityId = "a5ad9f06-0164-4475-8919-fcf1d4a4befe"
    static var externalParamsPath: String {
        "/api/v2/customer/\(customerId)/external-params/subscriber/\(entityId)"
    }

    /// The request example of customer-metadata-api.md.
    static var customerMetadataExample: [String: Any] { object(APIDocumentExamples.customerMetadataRequest) }

    /// The request example of external-params-api.md.
    static var externalParamsExample: [String: Any] { object(APIDocumentExamples.externalParamsRequest) }

    /// A JSON object's text as a dictionary (empty when it is not one).
    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    /// Runs `body` with a started simulator, and stops it afterwards.
    static func with<T>(
        credentials: SimulatorCredentials = .default,
        recording: SimulatorRecording = .all,
        now: (@Sendable () -> ContinuousClock.Instant)? = nil,
        _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "api-simulator-test")
        logger.logLevel = .warning
        let simulator =
            if let now {
                APISimulator(credentials: credentials, recording: recording, logger: logger, now: now)
            } else {
                APISimulator(credentials: credentials, recording: recording, logger: logger)
            }
        _ = try await simulator.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await body(SimulatorHarness(simulator: simulator, client: client))
            try await client.shutdown()
            await simulator.stop()
            return result
        } catch {
            try? await client.shutdown()
            await simulator.stop()
            throw error
        }
    }

    /// What came back: status, headers, body text and the body as a JSON object.
    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let text: String

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        /// API 1's `result` object.
        var result: [String: Any] { json["result"] as? [String: Any] ?? [:] }
        /// The `error` object of API 1's other answers.
        var errorObject: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    }

    func send(
        _ method: HTTPMethod = .POST, path: String, body: String? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: simulator.baseURL + path)
        request.method = method
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: bytes))
    }

    static var apiOneAuth: [(String, String)] {
        [("asapp-api-id", "sim-api-id"), ("asapp-api-secret", "sim-api-secret")]
    }

    static var apiTwoAuth: [(String, String)] {
        [("authorization", "Bearer sim-bearer-token")]
    }

    /// Posts an API 1 request with the default credentials.
    func postCustomerMetadata(_ body: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send(path: Self.customerMetadataPath, body: body, headers: Self.apiOneAuth + headers)
    }

    /// Posts an API 2 request with the default token.
    func postExternalParams(_ body: String, path: String = Self.externalParamsPath, headers: [(String, String)] = []) async throws -> Reply {
        try await send(path: path, body: body, headers: Self.apiTwoAuth + headers)
    }

    static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func isUUID(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return UUID(uuidString: text) != nil
    }
}

/// A clock the tests move by hand.
final class ManualClock: Sendable {
    private let offset = Mutex<Duration>(.zero)
    private let origin = ContinuousClock.now

    var now: ContinuousClock.Instant { origin.advanced(by: offset.withLock { $0 }) }

    func advance(by duration: Duration) {
        offset.withLock { $0 += duration }
    }
}


extension SimulatorHarness {
    /// `text` as a quoted JSON string.
    static func quoted(_ text: String) -> String {
        String(json([text]).dropFirst().dropLast())
    }
}
