import CustomerAPIs
import Logging

extension BridgeSettings {
    /// The text `check-config` prints for a secret that is set.
    public static let mask = "******"

    /// Every setting as `NAME=value`, in the table's order, then the `KAFKA_*` properties by name.
    ///
    /// A secret that is set shows as `******`; a setting that is not set shows nothing after `=`.
    /// Lists are comma-separated, durations in the unit of the setting's name.
    public func maskedLines() -> [String] {
        var lines = SettingDefinition.all.map { definition in
            let value = definition.isSecret
                ? (secretIsSet(definition) ? Self.mask : "")
                : displayValue(of: definition)
            return "\(definition.name)=\(value)"
        }
        for property in kafkaProperties.keys.sorted() {
            let value = secretKafkaPropertyNames.contains(property) ? Self.mask : (kafkaProperties[property] ?? "")
            lines.append("\(KafkaPassThrough.settingName(forProperty: property))=\(value)")
        }
        // The proxy variables, when set; a proxy URL's password shows as `******`.
        for (name, value) in [("HTTPS_PROXY", proxies.httpsProxy), ("HTTP_PROXY", proxies.httpProxy)] {
            if let value { lines.append("\(name)=\(HTTPProxy.masked(value))") }
        }
        if let noProxy = proxies.noProxy { lines.append("NO_PROXY=\(noProxy)") }
        return lines
    }

    private func secretIsSet(_ definition: SettingDefinition) -> Bool {
        switch definition.name {
        case SettingDefinition.customerMetadataAPISecret.name: customerMetadata.apiSecret != nil
        case SettingDefinition.externalParamsToken.name: externalParams.token != nil
        default: false
        }
    }

    /// The value of a non-secret setting as text, as it would be given.
    private func displayValue(of definition: SettingDefinition) -> String {
        typealias Definition = SettingDefinition
        switch definition.name {
        case Definition.bootstrapServers.name: return bootstrapServers
        case Definition.groupID.name: return groupID
        case Definition.customerTopics.name: return customerTopics.joined(separator: ",")
        case Definition.entityTopics.name: return entityTopics.joined(separator: ",")
        case Definition.replyTopic.name: return replyTopic
        case Definition.dlqTopic.name: return dlqTopic
        case Definition.customerMetadataBaseURL.name: return customerMetadata.baseURL ?? ""
        case Definition.customerMetadataAPIID.name: return customerMetadata.apiID ?? ""
        case Definition.externalParamsBaseURL.name: return externalParams.baseURL ?? ""
        case Definition.externalParamsCustomerID.name: return externalParams.customerID ?? ""
        case Definition.maxInFlight.name: return String(maxInFlight)
        case Definition.ordering.name: return ordering.rawValue
        case Definition.maxEventBytes.name: return String(maxEventBytes)
        case Definition.maxBufferedMegabytes.name: return String(maxBufferedMegabytes)
        case Definition.retryBaseMilliseconds.name: return Self.milliseconds(retryBase)
        case Definition.retryMaxMilliseconds.name: return Self.milliseconds(retryMax)
        case Definition.maxAttempts.name: return String(maxAttempts)
        case Definition.circuitThreshold.name: return String(circuitThreshold)
        case Definition.circuitProbeSeconds.name: return Self.seconds(circuitProbe)
        case Definition.customerMetadataMaxRPS.name: return String(customerMetadataMaxRPS)
        case Definition.externalParamsMaxRPS.name: return String(externalParamsMaxRPS)
        case Definition.httpTimeoutMilliseconds.name: return Self.milliseconds(httpTimeout)
        case Definition.httpCABundle.name: return httpCABundle ?? ""
        case Definition.httpPort.name: return String(httpPort)
        case Definition.logLevel.name: return logLevel.rawValue
        case Definition.logFormat.name: return logFormat.rawValue
        case Definition.shutdownGraceSeconds.name: return Self.seconds(shutdownGrace)
        default: return ""
        }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    private static func seconds(_ duration: Duration) -> String {
        String(duration.components.seconds)
    }
}

extension BridgeSettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The masked settings, one per line: secrets never show.
    public var description: String { maskedLines().joined(separator: "\n") }
    /// The same masked lines.
    public var debugDescription: String { description }
    /// What `dump` shows: the masked lines, so secrets never show there either.
    public var customMirror: Mirror { Mirror(self, unlabeledChildren: maskedLines(), displayStyle: .collection) }
}
