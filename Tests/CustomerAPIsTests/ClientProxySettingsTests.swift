import Testing
@testable import CustomerAPIs

/// Which proxy an API's requests would use: the variables, NO_PROXY's patterns, proxy URLs.
@Suite struct ClientProxySettingsTests {
    @Test func theVariableOfTheSchemeDecidesAndLowerCaseWins() throws {
        let environment = ProxyEnvironment(environment: [
            "HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128", "HTTP_PROXY": "plain.corp:8080",
        ])
        #expect(try environment.decision(forBaseURL: "https://api.example.com").proxy == HTTPProxy(host: "lower", port: 3128))
        #expect(try environment.decision(forBaseURL: "http://api.example.com:8080/x").proxy == HTTPProxy(host: "plain.corp", port: 8080))
        #expect(try ProxyEnvironment(environment: ["HTTP_PROXY": "http://p:1"]).decision(forBaseURL: "https://api.example.com")
            == .direct(reason: "no HTTPS_PROXY"))
        #expect(try ProxyEnvironment(environment: ["HTTPS_PROXY": "  "]).decision(forBaseURL: "https://a.example") == .direct(reason: "no HTTPS_PROXY"))
    }

    @Test(arguments: [
        ("*", "anything.example", 443, true),
        ("example.com", "example.com", 443, true),
        ("example.com", "api.example.com", 443, true),
        ("example.com", "badexample.com", 443, false),
        (".example.com", "api.example.com", 443, true),
        ("*.example.com", "API.Example.COM", 443, true),
        ("example.com:8443", "api.example.com", 443, false),
        ("example.com:8443", "api.example.com", 8443, true),
        ("10.0.0.0/8", "10.1.2.3", 443, true),
        ("10.0.0.0/8", "11.1.2.3", 443, false),
        ("192.168.1.7", "192.168.1.7", 80, true),
        ("::1", "::1", 443, true),
        ("[::1]:443", "[::1]", 443, true),
        ("fd00::/8", "fd12::1", 443, true),
        ("fd00::/8", "fe80::1", 443, false),
        ("localhost, 127.0.0.1 internal.corp", "internal.corp", 443, true),
    ])
    func noProxyPatterns(list: String, host: String, port: Int, covered: Bool) {
        #expect(NoProxyList(list).covers(host: host, port: port) == covered, "\(list) vs \(host):\(port)")
    }

    @Test func proxyURLsAreParsedAndTheirPasswordIsMasked() throws {
        let proxy = try HTTPProxy(url: "http://bridge%40corp:p%3Ass%2Fw0rd@proxy.corp:3128/", variable: "HTTPS_PROXY")
        #expect(proxy.host == "proxy.corp" && proxy.port == 3128)
        #expect(proxy.username == "bridge@corp")
        #expect(proxy.password?.reveal() == "p:ss/w0rd")
        #expect(proxy.description == "http://bridge@corp:******@proxy.corp:3128")
        #expect(try HTTPProxy(url: "proxy.corp", variable: "HTTP_PROXY") == HTTPProxy(host: "proxy.corp", port: 80))
        #expect(HTTPProxy.masked("http://u:s3cret@p:1") == "http://u:******@p:1")
        #expect(HTTPProxy.masked("u:s3/cr@et@p:1") == "u:******@p:1")
        #expect(HTTPProxy.masked("http://p:1") == "http://p:1")
    }

    @Test func aProxyURLThatIsNotOneFailsAtStartUpWithoutItsPassword() {
        for text in ["https://u:s3cret@proxy.corp:443", "socks5://u:s3cret@proxy:1080", "http://u:s3cret@proxy.corp/path"] {
            #expect {
                try HTTPProxy(url: text, variable: "HTTPS_PROXY")
            } throws: { error in
                let message = String(describing: error)
                return message.contains("HTTPS_PROXY") && !message.contains("s3cret")
            }
        }
        let settings = APIClientSettings(
            customerMetadata: APIEndpoint(baseURL: "https://api.example.com", credentials: .none), externalParams: nil,
            proxies: ProxyEnvironment(environment: ["HTTPS_PROXY": "ftp://proxy"]))
        #expect(throws: APIClientSettingsError.self) { try APIClient(settings: settings) }
    }
}
