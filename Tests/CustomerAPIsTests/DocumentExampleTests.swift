import Testing
import TestSupport
@testable import CustomerAPIs

/// Every request example of the two API documents and of the contract passes validation, and
/// the request built from it is the document's own request.
@Suite struct DocumentExampleTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var source: String
        var kind: EventKind
        /// The event, as a literal copied from the document.
        var event: String
        /// The request body the document shows (or implies) for it.
        var expectedBody: String
        var expectedPath: String
        var testDescription: String { source }
    }

    /// customer-metadata-api.md, `examples.example.value` of the request body (YAML there, JSON here).
    static let api1RequestExample = APIDocumentExamples.customerMetadataRequest

    /// external-params-api.md, "Request Body".
    static let api2RequestExample = APIDocumentExamples.externalParamsRequest

    /// The example of docs/contract.md, "Customer events".
    static let contractCustomerEvent = """
    {
      "conversationId": "issue509",
      "customerId": "555.555.0100-jdoe@example.com",
      "eventId": "eventId-1938",
      "status": "new",
      "phone": "(555)555-0100",
      "email": "jdoe@example.com",
      "userId": "user908038",
      "address": { "country": "United States", "state": "New York", "zipcode": "10001" },
      "attributes": { "attr1_name": "attr1_value", "attr2_name": "attr2_value" }
    }
    """

    /// The example of docs/contract.md, "Entity events".
    static let contractEntityEvent = """
    {
      "customerId": "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10",
      "entity": { "type": "subscriber", "id": "a5ad9f06-0164-4475-8919-fcf1d4a4befe" },
      "params": [ { "configId": "b8ad9f06-0104-9475-7919-ace1d4a4babe", "value": "9876543212" } ]
    }
    """

    static let api1Path = "/metadata-ingestion/v1/single-customer-metadata"
    static let api2Path = "/api/v2/customer/0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10/external-params/subscriber/a5ad9f06-0164-4475-8919-fcf1d4a4befe"

    static let examples: [Example] = [
        Example(
            source: "API 1 request example, sent as it is", kind: .customerMetadata,
            event: api1RequestExample, expectedBody: compact(api1RequestExample), expectedPath: api1Path
        ),
        Example(
            source: "contract: customer event", kind: .customerMetadata, event: contractCustomerEvent,
            expectedBody: compact(api1RequestExample).replacing(#""id-509""#, with: #""issue509""#), expectedPath: api1Path
        ),
        Example(
            source: "contract: entity event", kind: .externalParams, event: contractEntityEvent,
            expectedBody: #"{"externalParams":[{"extParamConfigId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"9876543212"}]}"#,
            expectedPath: api2Path
        ),
        Example(
            source: "API 2 request example, as an entity event's params", kind: .externalParams,
            event: """
            {
              "customerId": "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10",
              "entity": { "type": "subscriber", "id": "a5ad9f06-0164-4475-8919-fcf1d4a4befe" },
              "params": {
                "b8ad9f06-0104-9475-7919-ace1d4a4babe": "9876543212",
                "a5ad9f06-0164-4475-8919-fcf1d4a4befe": "13465798"
              }
            }
            """,
            expectedBody: compact(api2RequestExample), expectedPath: api2Path
        ),
        Example(
            source: "API 2 request example, in API 2's own shape", kind: .externalParams,
            event: """
            {
              "customerId": "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10",
              "entity": { "type": "subscriber", "id": "a5ad9f06-0164-4475-8919-fcf1d4a4befe" },
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
            """,
            expectedBody: compact(api2RequestExample), expectedPath: api2Path
        ),
    ]

    /// The document's JSON without white space, as the writer writes it.
    static func compact(_ json: String) -> String {
        guard let value = try? JSONParser().parse(json) else { return "not JSON: \(json)" }
        var writer = JSONWriter()
        writer.value(value)
        return writer.text
    }

    @Test(arguments: examples)
    func documentExamplePassesValidation(_ example: Example) throws {
        let event = DecodingTestSupport.decode(example.event, kind: example.kind)
        let request = try #require(event.request, "rejected: \(event.rejection?.message ?? "")")
        #expect(request.kind == example.kind)
        #expect(request.path == example.expectedPath)
        #expect(String(decoding: request.body, as: UTF8.self) == example.expectedBody)
    }

    @Test func contractCustomerEventKeepsItsOwnEventID() {
        #expect(DecodingTestSupport.decode(Self.contractCustomerEvent).eventID == "eventId-1938")
    }
}
