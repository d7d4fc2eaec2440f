import CustomerAPIs

extension BridgeSettings {
    /// Loads and validates the settings from flags, then the environment, then an optional YAML file;
    /// the first level that sets a value wins.
    ///
    /// - Parameters:
    ///   - flags: setting names to values from the command line (``BridgeSettings/flagValues(from:)`` makes it).
    ///   - environment: the process environment; names that are not settings are ignored.
    ///   - configFile: the path of a YAML file of setting names to values, or nil.
    /// - Throws: ``SettingsError`` with one line naming the setting at fault. At any level, `NAME` and
    ///   `NAME_FILE` together are an error; unknown names in flags or the file are errors.
    public static func load(
        flags: [String: String],
        environment: [String: String],
        configFile: String?
    ) throws(SettingsError) -> BridgeSettings {
        for name in flags.keys where !SettingsLayers.isKnownName(name) {
            throw SettingsError.unknownSetting("unknown setting \(name) given as a flag")
        }
        var layers = [
            SettingsLayer(origin: "the flags", values: flags, baseDirectory: nil),
            SettingsLayer(
                origin: "the environment",
                values: environment.filter {
                    SettingsLayers.isKnownName($0.key) && !KafkaPassThrough.isKubernetesServiceVariable($0.key)
                },
                baseDirectory: nil),
        ]
        if let configFile {
            layers.append(try SettingsFile.layer(path: configFile))
        }
        var settings = try load(from: SettingsReader(layers: SettingsLayers(layers: layers)))
        settings.proxies = ProxyEnvironment(environment: environment)
        try settings.validateProxies()
        return settings
    }

    private static func load(from reader: SettingsReader) throws(SettingsError) -> BridgeSettings {
        typealias Definition = SettingDefinition
        let servers = try reader.requiredText(Definition.bootstrapServers)
        _ = try BrokerAddress.parseList(servers, setting: Definition.bootstrapServers.name)

        var settings = BridgeSettings(bootstrapServers: servers)
        settings.groupID = try reader.requiredText(Definition.groupID)
        settings.customerTopics = try reader.topicList(Definition.customerTopics)
        settings.entityTopics = try reader.topicList(Definition.entityTopics)
        settings.replyTopic = try reader.topic(Definition.replyTopic)
        settings.dlqTopic = try reader.topic(Definition.dlqTopic)

        settings.customerMetadata = CustomerMetadataAPISettings(
            baseURL: try reader.url(Definition.customerMetadataBaseURL),
            apiID: try reader.optionalText(Definition.customerMetadataAPIID),
            apiSecret: try reader.secret(Definition.customerMetadataAPISecret).map(Secret.init),
            apiSecretFile: try reader.filePath(Definition.customerMetadataAPISecret))
        settings.externalParams = ExternalParamsAPISettings(
            baseURL: try reader.url(Definition.externalParamsBaseURL),
            token: try reader.secret(Definition.externalParamsToken).map(Secret.init),
            customerID: try reader.optionalText(Definition.externalParamsCustomerID),
            tokenFile: try reader.filePath(Definition.externalParamsToken))

        settings.maxInFlight = try reader.integer(Definition.maxInFlight)
        settings.ordering = try reader.choice(Definition.ordering, as: OrderingMode.self)
        settings.maxEventBytes = try reader.integer(Definition.maxEventBytes)
        settings.maxBufferedMegabytes = try reader.integer(Definition.maxBufferedMegabytes)
        settings.retryBase = .milliseconds(try reader.integer(Definition.retryBaseMilliseconds))
        settings.retryMax = .milliseconds(try reader.integer(Definition.retryMaxMilliseconds))
        settings.maxAttempts = try reader.integer(Definition.maxAttempts)
        settings.circuitThreshold = try reader.integer(Definition.circuitThreshold)
        settings.circuitProbe = .seconds(try reader.integer(Definition.circuitProbeSeconds))
        settings.customerMetadataMaxRPS = try reader.integer(Definition.customerMetadataMaxRPS)
        settings.externalParamsMaxRPS = try reader.integer(Definition.externalParamsMaxRPS)
        settings.httpTimeout = .milliseconds(try reader.integer(Definition.httpTimeoutMilliseconds))
        settings.httpCABundle = try reader.optionalText(Definition.httpCABundle)
        settings.httpPort = try reader.integer(Definition.httpPort)
        settings.logLevel = try reader.logLevel(Definition.logLevel)
        settings.logFormat = try reader.choice(Definition.logFormat, as: LogFormat.self)
        settings.shutdownGrace = .seconds(try reader.integer(Definition.shutdownGraceSeconds))

        for name in reader.layers.kafkaPropertySettingNames().sorted() {
            guard let raw = try reader.layers.value(of: name) else { continue }
            let property = KafkaPassThrough.propertyName(forSetting: name)
            settings.kafkaProperties[property] = raw.value
            if KafkaPassThrough.isSecret(settingName: name) {
                settings.secretKafkaPropertyNames.insert(property)
            }
        }

        try settings.validate()
        return settings
    }
}
