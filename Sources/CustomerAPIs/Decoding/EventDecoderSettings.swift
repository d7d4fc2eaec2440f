/// What the decoder needs from the bridge's settings.
public struct EventDecoderSettings: Sendable, Equatable {
    /// `BRIDGE_MAX_EVENT_BYTES`: a record value longer than this is rejected with `EVENT_TOO_LARGE`, unparsed.
    public var maxEventBytes: Int
    /// `EXTERNAL_PARAMS_CUSTOMER_ID`: the customer of entity events that name none themselves.
    public var externalParamsCustomerID: String?

    /// Creates settings; an empty or blank `externalParamsCustomerID` counts as unset.
    public init(maxEventBytes: Int = 1_048_576, externalParamsCustomerID: String? = nil) {
        self.maxEventBytes = maxEventBytes
        self.externalParamsCustomerID = externalParamsCustomerID
    }
}
