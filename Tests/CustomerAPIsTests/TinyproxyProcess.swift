import Foundation
import NIOCore
import NIOPosix

/// Debian's tinyproxy (`scripts/install-deps` installs it) run by a test on a free loopback port,
/// with a config file and a log of its own, stopped by the test.
final class TinyproxyProcess: Sendable {
    static let executable = "/usr/bin/tinyproxy"

    let port: Int
    let folder: URL
    private let process: Process

    private init(port: Int, folder: URL, process: Process) {
        self.port = port
        self.folder = folder
        self.process = process
    }

    /// `http://127.0.0.1:<port>`, or with `user:password@` in front of the host.
    func url(user: String? = nil, password: String? = nil) -> String {
        let userInfo = user.map { "\($0):\(password ?? "")@" } ?? ""
        return "http://\(userInfo)127.0.0.1:\(port)"
    }

    /// The log so far.
    var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("tinyproxy.log"), encoding: .utf8)) ?? ""
    }

    /// The lines of the log that name a CONNECT request.
    var connectRequests: [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains("Request (file descriptor") && $0.contains("CONNECT ") }
    }

    /// Starts tinyproxy in the foreground and waits until it accepts connections.
    ///
    /// - Parameter basicAuth: user and password the proxy demands (`BasicAuth`), if any.
    static func start(basicAuth: (user: String, password: String)? = nil) async throws -> TinyproxyProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TinyproxyError(message: "\(executable) is missing: run scripts/install-deps")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tinyproxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for _ in 0..<3 {
            let port = try await freeLoopbackPort()
            var config = """
                Port \(port)
                Listen 127.0.0.1
                Timeout 30
                LogFile "\(folder.appendingPathComponent("tinyproxy.log").path)"
                LogLevel Connect
                MaxClients 512
                Allow 127.0.0.1

                """
            if let basicAuth { config += "BasicAuth \(basicAuth.user) \(basicAuth.password)\n" }
            let configFile = folder.appendingPathComponent("tinyproxy.conf")
            try Data(config.utf8).write(to: configFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-d", "-c", configFile.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let proxy = TinyproxyProcess(port: port, folder: folder, process: process)
            if await proxy.waitUntilListening() { return proxy }
            await proxy.stop()  // the port was taken in between: try another
        }
        throw TinyproxyError(message: "tinyproxy did not start")
    }

    /// Stops the proxy (SIGKILL: it holds no state worth a clean exit) and removes its folder,
    /// without blocking a thread of the cooperative pool.
    func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? FileManager.default.removeItem(at: folder)
    }

    private func waitUntilListening() async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, process.isRunning {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

struct TinyproxyError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A loopback port that was free a moment ago: bound, then closed.
func freeLoopbackPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
}
