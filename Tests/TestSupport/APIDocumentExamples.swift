/// The request examples of the two API documents (customer-metadata-api.md and
/// external-params-api.md), as JSON text, for the client's and the simulator's tests alike.
public enum APIDocumentExamples {
    /// customer-metadata-api.md, `examples.example.value` of the request body (YAML there, JSON here).
    public static let customerMetadataRequest = """
    {
      "externalConversationId": "id-509",
      "externalCustomerId": "555.555.0100-jdoe@example.com",
      "eventId": "eventId-1938",
      "status": "new",
      "phoneNumber": "(555)555-0100",
      "emailAddress": "jdoe@example.com",
      "userId": "user908038",
      "addressCountry": "United-States",
      "addressState": "New-York",
      "addressZipcode": "10001",
      "attributes": [
        { "name": "attr1_name", "value": "attr1_value" },
        { "name": "attr2_name", "value": "attr2_value" }
      ]
    }
    """

    /// external-params-api.md, "Request Body".
    public static let externalParamsRequest = """
    {
      "externalParams": [
        {
          "extParamConfigId": "b8ad9f06-0104-9475-7919-ace1d4a4babe",
          "value": "9876543212"
        },
        {
          "extParamConfigId": "a5ad9f06-0164-4475-8919-fcf1d4a4befe",
          "value": "13465798"
        }
      ]
    }
    """
}
