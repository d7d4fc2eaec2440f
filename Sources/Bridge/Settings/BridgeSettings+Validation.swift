extension BridgeSettings {
    /// Checks what no single setting can: topics used twice, credentials set by halves, and the like.
    ///
    /// ``load(flags:environment:configFile:)`` calls it; call it again after changing settings in code.
    /// - Throws: ``SettingsError`` naming the settings at fault.
    public func validate() throws(SettingsError) {
        typealias Definition = SettingDefinition
        if let topic = customerTopics.first(where: { entityTopics.contains($0) }) {
            throw SettingsError.conflictingSettings(
                "topic \(topic) is in both \(Definition.customerTopics.name) and \(Definition.entityTopics.name); a topic carries one kind of event")
        }
        if customerTopics.isEmpty, entityTopics.isEmpty {
            throw SettingsError.conflictingSettings(
                "\(Definition.customerTopics.name) and \(Definition.entityTopics.name) are both empty; there is nothing to consume")
        }
        for (definition, topic) in [(Definition.replyTopic, replyTopic), (Definition.dlqTopic, dlqTopic)]
        where inputTopics.contains(topic) {
            throw SettingsError.conflictingSettings("\(definition.name) \(topic) is also an input topic; the bridge would consume its own output")
        }
        if replyTopic == dlqTopic {
            throw SettingsError.conflictingSettings(
                "\(Definition.replyTopic.name) and \(Definition.dlqTopic.name) are both \(replyTopic); replies and dead letters need topics of their own")
        }
        if retryMax < retryBase {
            throw SettingsError.conflictingSettings(
                "\(Definition.retryMaxMilliseconds.name) must be at least \(Definition.retryBaseMilliseconds.name)")
        }
        switch (customerMetadata.apiID, customerMetadata.apiSecret) {
        case (.some, nil):
            throw SettingsError.conflictingSettings("\(Definition.customerMetadataAPIID.name) is set but \(Definition.customerMetadataAPISecret.name) is not; set both or neither")
        case (nil, .some):
            throw SettingsError.conflictingSettings("\(Definition.customerMetadataAPISecret.name) is set but \(Definition.customerMetadataAPIID.name) is not; set both or neither")
        default:
            break
        }
        if let customerID = externalParams.customerID, !Self.isUUID(customerID) {
            throw SettingsError.invalidValue(
                "\(Definition.externalParamsCustomerID.name) must be a UUID (8-4-4-4-12 hex digits), got \(SettingsReader.quoted(customerID))")
        }
        // A blank value is no value: librdkafka would take a group id of white space and then
        // make no consumer group at all.
        for (property, value) in kafkaProperties where value.allSatisfy(\.isWhitespace) {
            throw SettingsError.invalidValue("\(KafkaPassThrough.settingName(forProperty: property)) is \(value.isEmpty ? "empty" : "blank"); unset it instead")
        }
        if groupID.allSatisfy(\.isWhitespace) {
            throw SettingsError.invalidValue("\(Definition.groupID.name) is blank; a consumer group needs a name")
        }
    }

    /// 8-4-4-4-12 hex digits, either case, no version check (as docs/contract.md, "Entity events", says).
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isHexDigit } }
    }
}
