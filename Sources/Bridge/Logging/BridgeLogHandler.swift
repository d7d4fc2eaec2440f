import Foundation
import Logging

/// A swift-log handler writing one line per entry: a JSON object (`timestamp`, `level`, `label`,
/// `message`, then the metadata flattened with dotted keys) or plain text.
///
/// Metadata values that are ``CustomerAPIs/Secret`` print as `******`, and so does any value under a
/// key that names a credential (`secret`, `password`, `token`, `authorization`…).
public struct BridgeLogHandler: LogHandler {
    /// The label of the logger.
    public let label: String
    /// The least severe level written.
    public var logLevel: Logger.Level
    /// Metadata of this handler, merged under the provider's and the entry's own.
    public var metadata: Logger.Metadata = [:]
    /// Contextual metadata (task-locals and the like).
    public var metadataProvider: Logger.MetadataProvider?

    private let formatter: LogLineFormatter
    private let output: LogOutput

    /// A handler for `label` writing entries of `level` and above as `format` to `output`.
    public init(
        label: String, level: Logger.Level, format: LogFormat,
        output: LogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = level
        self.formatter = LogLineFormatter(format: format)
        self.output = output
        self.metadataProvider = metadataProvider
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line for `event`, with the handler's, the provider's and the entry's metadata (the latter win).
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, provided in provided }
        }
        if let own = event.metadata {
            merged.merge(own) { _, own in own }
        }
        output.write(formatter.line(
            timestamp: Date(), level: event.level, label: label,
            message: event.message.description, metadata: merged, error: event.error))
    }
}
