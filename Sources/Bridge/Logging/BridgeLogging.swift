import Logging

/// Sets up swift-log for the whole process.
public enum BridgeLogging {
    /// Makes every `Logger` of the process write through ``BridgeLogHandler`` to standard error.
    ///
    /// - Important: swift-log allows one bootstrap per process: call this once, at start-up, before
    ///   any `Logger` is made. Tests make handlers with ``BridgeLogHandler/init(label:level:format:output:metadataProvider:)``
    ///   instead.
    ///
    /// - Parameter metadataProvider: contextual metadata added to every entry (task-local trace ids…).
    public static func bootstrap(level: Logger.Level, format: LogFormat, metadataProvider: Logger.MetadataProvider? = nil) {
        LoggingSystem.bootstrap(
            { label, metadataProvider in
                BridgeLogHandler(label: label, level: level, format: format, metadataProvider: metadataProvider)
            },
            metadataProvider: metadataProvider)
    }
}
