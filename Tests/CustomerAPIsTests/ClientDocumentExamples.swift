/// The response examples of the two API documents (summarised in docs/contract.md, "Requests"), verbatim as JSON.
enum DocumentExamples {
    /// API 1's `result` example for 200 and 400: an event id and an error text.
    static let api1ResultWithError = #"{"result":{"eventId":"5484e507-feaf-11ec-bfc1-fda566fa9333","error":"FAIL_BAD_PARAMS: ERROR: agent id cannot be blank"}}"#
    /// API 1's 200 "with no error message for successful input checks".
    static let api1ResultOK = #"{"result":{"eventId":"5484e507-feaf-11ec-bfc1-fda566fa9333"}}"#
    /// API 1's 200 with the `error` member present but blank ("failed if value is not blank").
    static let api1ResultBlankError = #"{"result":{"eventId":"5484e507-feaf-11ec-bfc1-fda566fa9333","error":""}}"#

    /// API 1's error-object examples: status → (code, message).
    static func api1Error(code: String, message: String) -> String {
        #"{"error":{"requestId":"8e033668-9f1a-11ec-b909-0242ac120002","code":"\#(code)","message":"\#(message)"}}"#
    }

    /// API 2's "Success ACK".
    static let api2SuccessACK = """
        {
          "errorCode": "",
          "errorMessage": "",
          "content": [
            {
              "requestId": "ff74dca6-8e7f-4b85-a42b-13860913b370"
            }
          ],
          "pageable": {
            "page": 0,
            "size": 10,
            "totalPages": 1,
            "totalElements": 1
          }
        }
        """

    /// API 2's "Failure NAK".
    static let api2FailureNAK = """
        {
          "errorCode": "GLOBAL_1001",
          "errorMessage": "Service unavailable. Please try again",
          "content": "",
          "pageable": ""
        }
        """

    /// API 2's failure shape with the document's other error code.
    static let api2Customer1024 = #"{"errorCode":"CUSTOMER_1024","errorMessage":"Failed to create external params item","content":"","pageable":""}"#

    /// What a proxy answers when the API behind it is down: HTML, not JSON.
    static let proxyHTML502 = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
}
