/// Turns an entity event's payload into API 2's request, validating it as docs/contract.md,
/// "Entity events" and "Text rules", say.
///
/// The path is built only from validated values: `customerId` and `entity.id` are UUIDs and
/// the entity type is one of the document's four (`product` means `plan`).
enum ExternalParamsMapping {
    /// The entity types API 2 takes, by the names events may use for them (compared ignoring case).
    static let entityTypes: [(name: String, pathSegment: String)] = [
        ("customer", "customer"),
        ("subscriber", "subscriber"),
        ("plan", "plan"),
        ("package", "package"),
        ("product", "plan"),
    ]

    /// The validated request for `payload`, or the first rule it breaks.
    ///
    /// - Parameter fallbackCustomerID: `EXTERNAL_PARAMS_CUSTOMER_ID`, used when the event has no `customerId` of its own.
    static func request(payload: [JSONMember], fallbackCustomerID: String?) throws(EventRejection) -> APIRequest {
        var customerValue, entityValue, paramsValue, externalParamsValue: JSONValue?
        for member in payload {
            switch member.name {
            case "customerId": customerValue = member.value
            case "entity": entityValue = member.value
            case "params": paramsValue = member.value
            case "externalParams": externalParamsValue = member.value
            default: break
            }
        }

        let customerID: String
        if let own = try FieldRules.optionalText(customerValue, field: "customerId") {
            try FieldRules.checkUUID(own, field: "customerId")
            customerID = own
        } else if let fallbackCustomerID {
            guard UUIDFormat.matches(fallbackCustomerID) else {
                throw .invalid("customerId", rule: "uuid", "is absent and EXTERNAL_PARAMS_CUSTOMER_ID is not a UUID")
            }
            customerID = fallbackCustomerID
        } else {
            throw .required("customerId")
        }

        guard let entityValue, !entityValue.isNull else { throw .required("entity") }
        guard case .object = entityValue else { throw .wrongType("entity", expected: "object", got: entityValue) }
        let entityType = try pathSegment(forType: entityValue[member: "type"])
        let entityID = try FieldRules.requiredText(entityValue[member: "id"], field: "entity.id")
        try FieldRules.checkUUID(entityID, field: "entity.id")

        let params = try Params.read(params: paramsValue, externalParams: externalParamsValue)

        var writer = JSONWriter(reservingCapacity: 64 + params.count * 96)
        writer.beginObject()
        writer.key("externalParams")
        writer.beginArray()
        for param in params {
            writer.beginObject()
            writer.key("extParamConfigId"); writer.string(param.configID)
            writer.key("value"); writer.string(param.value)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        let path = "/api/v2/customer/\(customerID)/external-params/\(entityType)/\(entityID)"
        return APIRequest(kind: .externalParams, path: path, body: writer.bytes)
    }

    private static func pathSegment(forType value: JSONValue?) throws(EventRejection) -> String {
        let given = try FieldRules.requiredText(value, field: "entity.type")
        for entityType in entityTypes where equalIgnoringASCIICase(given, entityType.name) {
            return entityType.pathSegment
        }
        throw .invalid(
            "entity.type", rule: "enum customer|subscriber|plan|package|product",
            "must be one of customer, subscriber, plan, package (or product, meaning plan)"
        )
    }

    private static func equalIgnoringASCIICase(_ text: String, _ lowercase: String) -> Bool {
        text.utf8.count == lowercase.utf8.count
            && zip(text.utf8, lowercase.utf8).allSatisfy { pair in
                let byte = pair.0 &- UInt8(ascii: "A") < 26 ? pair.0 | 0x20 : pair.0
                return byte == pair.1
            }
    }
}
