extension CustomerMetadataMapping {
    /// One attribute as API 1 takes it.
    struct Attribute: Equatable {
        var name: String
        var value: String
    }

    /// The attribute rules: an object is sorted by name, an array of `{name, value}` keeps its
    /// order; at most 10 given; names are required, unique, at most 256 characters; values at
    /// most 1024 characters, numbers keep their text and booleans become `true`/`false`. An
    /// attribute whose value is null or empty is left out, as an empty optional field is.
    enum Attributes {
        static func read(_ value: JSONValue?) throws(EventRejection) -> [Attribute] {
            guard let value else { return [] }
            switch value {
            case .null:
                return []
            case .object(let members):
                try checkCount(members.count)
                var attributes: [Attribute] = []
                attributes.reserveCapacity(members.count)
                for member in members {
                    let field = "attributes.\(member.name.prefix(64))"
                    let name = TextNormalization.trimmed(member.name)
                    guard !name.isEmpty else { throw .invalid(field, rule: "required", "attribute name is empty") }
                    try FieldRules.check(name, field: field, maxLength: 256)
                    guard let text = try FieldRules.optionalText(member.value, field: field, reading: .anyScalar) else { continue }
                    try FieldRules.check(text, field: field, maxLength: 1024)
                    attributes.append(Attribute(name: name, value: text))
                }
                attributes.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
                try checkUnique(attributes)
                return attributes
            case .array(let elements):
                try checkCount(elements.count)
                var attributes: [Attribute] = []
                attributes.reserveCapacity(elements.count)
                var namesSeen: [String] = []
                for (index, element) in elements.enumerated() {
                    guard case .object = element else {
                        throw .wrongType("attributes[\(index)]", expected: "object", got: element)
                    }
                    let nameField = "attributes[\(index)].name"
                    let name = try FieldRules.requiredText(element[member: "name"], field: nameField)
                    try FieldRules.check(name, field: nameField, maxLength: 256)
                    if namesSeen.contains(name) {
                        throw .invalid(nameField, rule: "unique", "names an attribute given before")
                    }
                    namesSeen.append(name)
                    let valueField = "attributes[\(index)].value"
                    guard let text = try FieldRules.optionalText(element[member: "value"], field: valueField, reading: .anyScalar) else { continue }
                    try FieldRules.check(text, field: valueField, maxLength: 1024)
                    attributes.append(Attribute(name: name, value: text))
                }
                return attributes
            default:
                throw .wrongType("attributes", expected: "object or array", got: value)
            }
        }

        private static func checkCount(_ count: Int) throws(EventRejection) {
            guard count <= maxAttributes else {
                throw .invalid("attributes", rule: "maxItems \(maxAttributes)", "has \(count) attributes, more than \(maxAttributes)")
            }
        }

        /// Object member names are unique as given, but two may become equal once trimmed.
        private static func checkUnique(_ sorted: [Attribute]) throws(EventRejection) {
            guard sorted.count > 1 else { return }
            for index in 1..<sorted.count where sorted[index].name == sorted[index - 1].name {
                throw .invalid("attributes.\(sorted[index].name.prefix(64))", rule: "unique", "names an attribute given before")
            }
        }
    }
}
