import Foundation
import NIOCore
import NIOPosix

/// Opens (and at once closes) a TCP connection, to tell whether a broker or an API accepts connections.
enum ReachabilityProbe {
    /// nil when `host:port` accepted a TCP connection within `timeout`, else why not, in a few words.
    static func tcpConnectFailure(host: String, port: Int, timeout: Duration) async -> String? {
        let milliseconds = max(1, timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(milliseconds))
            .channelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close()
            return nil
        } catch {
            return describe(error, timeoutMilliseconds: milliseconds)
        }
    }

    private static func describe(_ error: any Error, timeoutMilliseconds: Int64) -> String {
        if let connectionError = error as? NIOConnectionError {
            if connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil {
                return "host name not resolved"
            }
            if let first = connectionError.connectionErrors.first {
                return describe(first.error, timeoutMilliseconds: timeoutMilliseconds)
            }
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return "no connection within \(timeoutMilliseconds) ms"
        }
        if let ioError = error as? IOError {
            return String(cString: strerror(ioError.errnoCode)).lowercased()
        }
        return String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
