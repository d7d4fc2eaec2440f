-- wrk: POST the document's API 2 example with the simulator's default bearer token.
wrk.method = "POST"
wrk.path = "/api/v2/customer/0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10/external-params/subscriber/a5ad9f06-0164-4475-8919-fcf1d4a4befe"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sim-bearer-token"
wrk.headers["correlation-id"] = "bench"
wrk.body = '{"externalParams":[{"extParamConfigId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"9876543212"},'
  .. '{"extParamConfigId":"a5ad9f06-0164-4475-8919-fcf1d4a4befe","value":"13465798"}]}'
