import Foundation
import Hummingbird
import NIOCore

/// The JSON control endpoints under `/_control/` (documented in `docs/api-simulator.md`).
/// They need no credentials: the simulator is meant for loopback only.
struct ControlEndpoints {
    let core: SimulatorCore

    /// `POST /_control/latency`.
    struct LatencyRequest: Codable {
        var milliseconds: Int
        var api: SimulatedAPI?
    }

    /// `GET|POST|DELETE /_control/faults` answer.
    struct FaultsAnswer: Codable {
        var faults: [SimulatorFault]
    }

    /// `POST /_control/credentials` answer: the API id only, never the secrets.
    struct CredentialsAnswer: Codable {
        var apiId: String
    }

    func respond(to request: Request, path: String) async -> Response {
        do {
            return try await route(request, path: path)
        } catch let error as ControlError {
            return Self.answer(error.status, ["error": error.message])
        } catch {
            return Self.answer(400, ["error": "invalid request: \(error)"])
        }
    }

    private func route(_ request: Request, path: String) async throws -> Response {
        switch (request.method, path) {
        case (.post, "/_control/faults"):
            let body = try await Self.body(of: request)
            let faults: [SimulatorFault]
            if body.first == UInt8(ascii: "[") {
                faults = try JSONDecoder().decode([SimulatorFault].self, from: body)
            } else {
                faults = [try JSONDecoder().decode(SimulatorFault.self, from: body)]
            }
            faults.forEach(core.addFault)
            return Self.answer(200, FaultsAnswer(faults: core.activeFaults))
        case (.get, "/_control/faults"):
            return Self.answer(200, FaultsAnswer(faults: core.activeFaults))
        case (.delete, "/_control/faults"):
            core.clearFaults()
            return Self.answer(200, FaultsAnswer(faults: []))
        case (.post, "/_control/latency"):
            let latency = try JSONDecoder().decode(LatencyRequest.self, from: try await Self.body(of: request))
            guard latency.milliseconds >= 0 else { throw ControlError(status: 400, message: "milliseconds must not be negative") }
            core.setLatency(.milliseconds(latency.milliseconds), api: latency.api)
            return Self.answer(200, latency)
        case (.post, "/_control/credentials"):
            let credentials = try JSONDecoder().decode(SimulatorCredentials.self, from: try await Self.body(of: request))
            core.rotateCredentials(credentials)
            return Self.answer(200, CredentialsAnswer(apiId: credentials.apiId))
        case (.get, "/_control/stats"):
            return Self.answer(200, core.stats())
        case (.get, "/_control/accepted"):
            let apis: [SimulatedAPI]
            if let name = request.uri.queryParameters["api"] {
                guard let api = SimulatedAPI(rawValue: String(name)) else {
                    throw ControlError(status: 400, message: "api must be customer-metadata or external-params")
                }
                apis = [api]
            } else {
                apis = SimulatedAPI.allCases
            }
            return Self.answer(200, apis.flatMap(core.accepted))
        case (.post, "/_control/reset"):
            core.reset()
            return Self.answer(200, ["reset": true])
        default:
            throw ControlError(status: 404, message: "no control endpoint \(request.method) \(path)")
        }
    }

    private static func body(of request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        return Data(buffer.readableBytesView)
    }

    private static func answer(_ status: Int, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Answer.json(status, text)
    }
}

/// A control request that cannot be carried out.
struct ControlError: Error {
    let status: Int
    let message: String
}
