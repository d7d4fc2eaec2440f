import Foundation
import Testing
import TestSupport
@testable import Bridge

/// Proxy variables for an API 1 that goes through the proxy and an API 2 that NO_PROXY covers.
enum SettingsProxyTestEnvironment {
    static let environment = minimalEnvironment.merging([
        "ASAPP_BASE_URL": "https://api.sandbox.asapp.com",
        "EXTERNAL_PARAMS_BASE_URL": "http://params.internal.corp:8080",
        "HTTPS_PROXY": "http://bridge:pr0xy-s3cret@proxy.corp:3128",
        "http_proxy": "http://proxy.corp:3128",
        "NO_PROXY": ".internal.corp",
    ]) { $1 }
}

/// `check-config` with the proxy variables set: it names the proxy each API would use, probes the
/// proxy instead of the API, and never prints the proxy's password.
@Suite struct SettingsCheckConfigProxyTests {
    @Test func checkConfigNamesTheProxyEachAPIWouldUseAndProbesIt() async throws {
        let proxy = try await SettingsLoopbackListener.start()
        let proxyPort = proxy.port
        let closedPort = try LoopbackPort.free()
        var environment = SettingsProxyTestEnvironment.environment
        environment["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:\(closedPort)"
        environment["HTTPS_PROXY"] = "http://bridge:pr0xy-s3cret@127.0.0.1:\(proxyPort)"
        let run = await SettingsCheckConfigTests.check(environment: environment)
        await proxy.stop()
        #expect(run.output.contains("proxy: API 1 (ASAPP_BASE_URL) http://bridge:******@127.0.0.1:\(proxyPort) (HTTPS_PROXY)"), "\(run.output)")
        #expect(run.output.contains("proxy: API 2 (EXTERNAL_PARAMS_BASE_URL) none (NO_PROXY covers params.internal.corp)"), "\(run.output)")
        #expect(run.output.contains("ok: API 1 (ASAPP_BASE_URL) proxy 127.0.0.1:\(proxyPort) accepts connections"), "\(run.output)")
        #expect(!run.everything.contains("pr0xy-s3cret"))
    }
}
