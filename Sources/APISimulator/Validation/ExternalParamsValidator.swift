/// API 2's request rules, as `external-params-api.md` states them.
///
/// The path is `/api/v2/customer/{customerId}/external-params/{entity}/{entityId}` with
/// UUID ids and an entity of `customer`, `subscriber`, `plan` or `package`. The body's
/// `externalParams` is a mandatory, non-empty array of objects, each with a mandatory UUID
/// `extParamConfigId` and a mandatory string `value`.
enum ExternalParamsValidator {
    static let entityTypes: Set<String> = ["customer", "subscriber", "plan", "package"]

    /// The ids a valid path names.
    struct Target: Sendable, Equatable {
        let customerId: String
        let entityType: String
        let entityId: String
    }

    /// Splits a path of API 2's shape; `nil` when the path is not one (a 404).
    static func pathSegments(_ path: String) -> (customerId: Substring, entityType: Substring, entityId: Substring)? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "api", "v2", "customer", id, "external-params", entity, id
        guard segments.count == 8, segments[0].isEmpty, segments[1] == "api", segments[2] == "v2",
            segments[3] == "customer", segments[5] == "external-params"
        else { return nil }
        return (segments[4], segments[6], segments[7])
    }

    /// Checks the path's ids and entity type.
    static func validateTarget(
        customerId: Substring, entityType: Substring, entityId: Substring
    ) -> Result<Target, ValidationFailure> {
        guard FormatRules.isUUID(String(customerId)) else {
            return .failure(ValidationFailure("customer id in the path is not a UUID"))
        }
        guard entityTypes.contains(String(entityType)) else {
            return .failure(ValidationFailure("entity must be one of customer, subscriber, plan, package"))
        }
        guard FormatRules.isUUID(String(entityId)) else {
            return .failure(ValidationFailure("entity id in the path is not a UUID"))
        }
        return .success(Target(customerId: String(customerId), entityType: String(entityType), entityId: String(entityId)))
    }

    /// Checks the body; on success, the number of parameters it creates.
    static func validateBody(_ body: JSONValue) -> Result<Int, ValidationFailure> {
        guard case .object = body else {
            return .failure(ValidationFailure("request body must be a JSON object"))
        }
        guard let params = body.member("externalParams") else {
            return .failure(ValidationFailure("externalParams is required"))
        }
        guard case .array(let items) = params else {
            return .failure(ValidationFailure("externalParams must be an array, not \(params.typeName)"))
        }
        guard !items.isEmpty else {
            return .failure(ValidationFailure("externalParams must not be empty"))
        }
        for (position, item) in items.enumerated() {
            guard case .object = item else {
                return .failure(ValidationFailure("externalParams[\(position)] must be an object"))
            }
            switch item.member("extParamConfigId") {
            case .string(let id)?:
                guard FormatRules.isUUID(id) else {
                    return .failure(ValidationFailure("externalParams[\(position)].extParamConfigId is not a UUID"))
                }
            case nil, .null?:
                return .failure(ValidationFailure("externalParams[\(position)].extParamConfigId is required"))
            case let other?:
                return .failure(ValidationFailure("externalParams[\(position)].extParamConfigId must be a string, not \(other.typeName)"))
            }
            switch item.member("value") {
            case .string?:
                break
            case nil, .null?:
                return .failure(ValidationFailure("externalParams[\(position)].value is required"))
            case let other?:
                return .failure(ValidationFailure("externalParams[\(position)].value must be a string, not \(other.typeName)"))
            }
        }
        return .success(items.count)
    }
}
