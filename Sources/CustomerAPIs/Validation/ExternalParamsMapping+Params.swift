extension ExternalParamsMapping {
    /// One external param as API 2 takes it.
    struct Param: Equatable {
        var configID: String
        var value: String
    }

    /// The params rules: a non-empty array of `{configId, value}` or an object `{configId: value}`;
    /// each configId a UUID, at most once per event (compared ignoring case); each value required,
    /// numbers keeping their text and booleans becoming `true`/`false`.
    ///
    /// An event may instead carry API 2's own request shape, `externalParams: [{extParamConfigId, value}]`,
    /// which gets the same checks.
    enum Params {
        static func read(params: JSONValue?, externalParams: JSONValue?) throws(EventRejection) -> [Param] {
            if params == nil, let externalParams, !externalParams.isNull {
                guard case .array(let elements) = externalParams else {
                    throw .wrongType("externalParams", expected: "array", got: externalParams)
                }
                return try nonEmpty(readArray(elements, field: "externalParams", configKey: "extParamConfigId"), field: "externalParams")
            }
            guard let value = params, !value.isNull else { throw .required("params") }
            var params: [Param] = []
            switch value {
            case .array(let elements):
                params = try readArray(elements, field: "params", configKey: "configId")
            case .object(let members):
                params.reserveCapacity(members.count)
                for member in members {
                    let field = "params.\(member.name.prefix(64))"
                    let configID = TextNormalization.trimmed(member.name)
                    try FieldRules.checkUUID(configID, field: field)
                    try checkUnique(configID, among: params, field: field)
                    let text = try FieldRules.requiredText(member.value, field: field, reading: .anyScalar)
                    params.append(Param(configID: configID, value: text))
                }
            default:
                throw .wrongType("params", expected: "array or object", got: value)
            }
            return try nonEmpty(params, field: "params")
        }

        private static func readArray(_ elements: [JSONValue], field: String, configKey: String) throws(EventRejection) -> [Param] {
            var params: [Param] = []
            params.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .object = element else {
                    throw .wrongType("\(field)[\(index)]", expected: "object", got: element)
                }
                let configField = "\(field)[\(index)].\(configKey)"
                let configID = try FieldRules.requiredText(element[member: configKey], field: configField)
                try FieldRules.checkUUID(configID, field: configField)
                try checkUnique(configID, among: params, field: configField)
                let text = try FieldRules.requiredText(element[member: "value"], field: "\(field)[\(index)].value", reading: .anyScalar)
                params.append(Param(configID: configID, value: text))
            }
            return params
        }

        private static func nonEmpty(_ params: [Param], field: String) throws(EventRejection) -> [Param] {
            guard !params.isEmpty else {
                throw .invalid(field, rule: "minItems 1", "must hold at least one param")
            }
            return params
        }

        private static func checkUnique(_ configID: String, among params: [Param], field: String) throws(EventRejection) {
            for param in params where sameUUID(param.configID, configID) {
                throw .invalid(field, rule: "unique configId", "names a configId given before in this event")
            }
        }

        /// Two UUID texts (already checked) name the same UUID when equal ignoring case.
        private static func sameUUID(_ left: String, _ right: String) -> Bool {
            zip(left.utf8, right.utf8).allSatisfy { ($0 | 0x20) == ($1 | 0x20) }
        }
    }
}
