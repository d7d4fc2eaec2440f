-- wrk: POST valid API 1 requests with the simulator's default credentials; every request
-- carries a new eventId (per-thread prefix and counter), so none is a 409 duplicate.
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  counter = 0
  prefix = "bench-" .. thread_id .. "-" .. math.random(1, 1000000000) .. "-"
  headers = {
    ["Content-Type"] = "application/json",
    ["asapp-api-id"] = "sim-api-id",
    ["asapp-api-secret"] = "sim-api-secret",
    ["correlation-id"] = "bench",
  }
  head = '{"externalConversationId":"id-509","externalCustomerId":"555.555.0100-jdoe@example.com","eventId":"'
  tail = '","status":"new","phoneNumber":"(555)555-0100","emailAddress":"jdoe@example.com",'
    .. '"userId":"user908038","addressCountry":"United-States","addressState":"New-York","addressZipcode":"10001",'
    .. '"attributes":[{"name":"attr1_name","value":"attr1_value"},{"name":"attr2_name","value":"attr2_value"}]}'
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/metadata-ingestion/v1/single-customer-metadata", headers, head .. prefix .. counter .. tail)
end
