import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// Plain GET requests to servers the tests started on loopback.
enum LoopbackHTTP {
    /// The status and body of `GET url`; status 0 when nothing answers.
    static func get(_ url: String) async -> (status: Int, body: String) {
        guard let url = URL(string: url) else { return (0, "") }
        do {
            let (body, response) = try await URLSession.shared.data(from: url)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
        } catch {
            return (0, "")
        }
    }

    /// Asks `GET url` until it answers `status` or `timeout` passes; whether it did.
    static func waitFor(_ url: String, status: Int = 200, timeout: Duration) async -> Bool {
        await eventually(within: timeout, every: .milliseconds(200)) { await get(url).status == status }
    }
}
