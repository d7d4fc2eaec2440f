/// Turns a customer event's payload into API 1's request, validating it as docs/contract.md,
/// "Customer events" and "Text rules", say: each `pattern` of the API document as a full match,
/// every `maxLength` in characters, the email format and at most 10 attributes.
///
/// Two payload shapes are accepted: the event shape of docs/contract.md, "Customer events"
/// (`conversationId`, `address: {country, …}`, …) and API 1's own request shape (it has `externalConversationId`),
/// which gets the same checks. Unknown members are ignored; the request carries only the
/// fields API 1 documents, with `eventId` set to the event's id.
enum CustomerMetadataMapping {
    /// API 1's path below its base URL.
    static let path = "/metadata-ingestion/v1/single-customer-metadata"
    /// API 1's `maxItems` for attributes.
    static let maxAttributes = 10

    /// The validated request for `payload`, or the first rule it breaks.
    static func request(payload: [JSONMember], eventID: String) throws(EventRejection) -> APIRequest {
        let slots = Slots(payload)
        let names = slots.externalConversationID != nil ? FieldNames.apiShape : FieldNames.eventShape
        let conversation = slots.externalConversationID != nil ? slots.externalConversationID : slots.conversationID
        let customer = slots.externalConversationID != nil ? slots.externalCustomerID : slots.customerID

        let conversationID = try FieldRules.requiredText(conversation, field: names.conversation)
        try FieldRules.check(conversationID, field: names.conversation, pattern: .identifier, maxLength: 256)
        let customerID = try FieldRules.requiredText(customer, field: names.customer)
        try FieldRules.check(customerID, field: names.customer, pattern: .customerIdentifier, maxLength: 256)

        let status = try optional(slots.status, names.status, pattern: .identifier, maxLength: 256)
        let phone = try optional(
            slots.externalConversationID != nil ? slots.phoneNumber : slots.phone,
            names.phone, pattern: .phoneNumber, maxLength: 32
        )
        let email = try FieldRules.optionalText(
            slots.externalConversationID != nil ? slots.emailAddress : slots.email, field: names.email
        )
        if let email, !EmailFormat.matches(email) {
            throw .invalid(names.email, rule: "format email", "must be an email address")
        }
        let userID = try optional(slots.userID, names.user, pattern: .identifier, maxLength: 256)
        let address = try slots.externalConversationID != nil ? flatAddress(slots) : nestedAddress(slots.address)
        let attributes = try Attributes.read(slots.attributes)

        var writer = JSONWriter(reservingCapacity: 512)
        writer.beginObject()
        writer.key("externalConversationId"); writer.string(conversationID)
        writer.key("externalCustomerId"); writer.string(customerID)
        writer.key("eventId"); writer.string(eventID)
        if let status { writer.key("status"); writer.string(status) }
        if let phone { writer.key("phoneNumber"); writer.string(phone) }
        if let email { writer.key("emailAddress"); writer.string(email) }
        if let userID { writer.key("userId"); writer.string(userID) }
        if let country = address.country { writer.key("addressCountry"); writer.string(country) }
        if let state = address.state { writer.key("addressState"); writer.string(state) }
        if let zipcode = address.zipcode { writer.key("addressZipcode"); writer.string(zipcode) }
        if !attributes.isEmpty {
            writer.key("attributes")
            writer.beginArray()
            for attribute in attributes {
                writer.beginObject()
                writer.key("name"); writer.string(attribute.name)
                writer.key("value"); writer.string(attribute.value)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        return APIRequest(kind: .customerMetadata, path: path, body: writer.bytes)
    }

    // MARK: Fields

    private static func optional(
        _ value: JSONValue?, _ field: String, pattern: FieldPattern, maxLength: Int
    ) throws(EventRejection) -> String? {
        guard let text = try FieldRules.optionalText(value, field: field) else { return nil }
        try FieldRules.check(text, field: field, pattern: pattern, maxLength: maxLength)
        return text
    }

    private struct Address {
        var country: String?
        var state: String?
        var zipcode: String?
    }

    private static func nestedAddress(_ value: JSONValue?) throws(EventRejection) -> Address {
        guard let value, !value.isNull else { return Address() }
        guard case .object = value else { throw .wrongType("address", expected: "object", got: value) }
        return Address(
            country: try addressPart(value[member: "country"], "address.country", maxLength: 128),
            state: try addressPart(value[member: "state"], "address.state", maxLength: 128),
            zipcode: try addressPart(value[member: "zipcode"], "address.zipcode", maxLength: 16)
        )
    }

    private static func flatAddress(_ slots: Slots) throws(EventRejection) -> Address {
        Address(
            country: try addressPart(slots.addressCountry, "addressCountry", maxLength: 128),
            state: try addressPart(slots.addressState, "addressState", maxLength: 128),
            zipcode: try addressPart(slots.addressZipcode, "addressZipcode", maxLength: 16)
        )
    }

    /// An address value: trimmed, white-space runs hyphenated, then checked; never transliterated.
    private static func addressPart(_ value: JSONValue?, _ field: String, maxLength: Int) throws(EventRejection) -> String? {
        guard let text = try FieldRules.optionalText(value, field: field) else { return nil }
        let hyphenated = TextNormalization.hyphenatingWhiteSpace(text)
        try FieldRules.check(hyphenated, field: field, pattern: .identifier, maxLength: maxLength)
        return hyphenated
    }

    /// The names fields have in each payload shape, for messages.
    private struct FieldNames {
        let conversation, customer, status, phone, email, user: String

        static let eventShape = FieldNames(
            conversation: "conversationId", customer: "customerId", status: "status",
            phone: "phone", email: "email", user: "userId"
        )
        static let apiShape = FieldNames(
            conversation: "externalConversationId", customer: "externalCustomerId", status: "status",
            phone: "phoneNumber", email: "emailAddress", user: "userId"
        )
    }

    /// The payload's known members, found in one pass.
    private struct Slots {
        var conversationID, customerID, phone, email, address: JSONValue?
        var externalConversationID, externalCustomerID, phoneNumber, emailAddress: JSONValue?
        var addressCountry, addressState, addressZipcode: JSONValue?
        var status, userID, attributes: JSONValue?

        init(_ members: [JSONMember]) {
            for member in members {
                switch member.name {
                case "conversationId": conversationID = member.value
                case "customerId": customerID = member.value
                case "status": status = member.value
                case "phone": phone = member.value
                case "email": email = member.value
                case "userId": userID = member.value
                case "address": address = member.value
                case "attributes": attributes = member.value
                case "externalConversationId": externalConversationID = member.value
                case "externalCustomerId": externalCustomerID = member.value
                case "phoneNumber": phoneNumber = member.value
                case "emailAddress": emailAddress = member.value
                case "addressCountry": addressCountry = member.value
                case "addressState": addressState = member.value
                case "addressZipcode": addressZipcode = member.value
                default: break
                }
            }
        }
    }
}
