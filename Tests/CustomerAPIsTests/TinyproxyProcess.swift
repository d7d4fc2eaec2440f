import Foundation
import NIOCore
import NIOPosix
import TestSupport

/// Debian's tinyproxy (`scripts/install-deps` installs it) run by a test on a free loopback port,
/// with a config file and a log of its own, stopped by the test.
final class TinyproxyProcess: Sendable {
    static let executable = "/usr/bin/tinyproxy"

    let port: Int
    let folder: URL
    private let process: ChildProcess

    private init(port: Int, folder: URL, process: ChildProcess) {
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
            let port = try LoopbackPort.free()
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
            let process = try ChildProcess(URL(fileURLWithPath: executable), ["-d", "-c", configFile.path], combineOutput: true)
            let proxy = TinyproxyProcess(port: port, folder: folder, process: process)
            if await proxy.waitUntilListening() { return proxy }
            await proxy.stop()  // the port was taken in between: try another
        }
        throw TinyproxyError(message: "tinyproxy did not start")
    }

    /// Stops the proxy (SIGKILL: it holds no state worth a clean exit) and removes its folder,
    /// without blocking a thread of the cooperative pool.
    func stop() async {
        await process.kill9()
        process.removeLog()
        try? FileManager.default.removeItem(at: folder)
    }

    private func waitUntilListening() async -> Bool {
        await eventually(within: .seconds(10), every: .milliseconds(50)) {
            guard process.process.isRunning else { return false }
            guard let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get() else { return false }
            try? await channel.close()
            return true
        }
    }
}

struct TinyproxyError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
