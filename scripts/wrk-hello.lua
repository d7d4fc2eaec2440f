-- wrk: POST a small JSON body to the plain Hummingbird hello-world (the ceiling).
wrk.method = "POST"
wrk.path = "/"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"externalParams":[{"extParamConfigId":"b8ad9f06-0104-9475-7919-ace1d4a4babe","value":"9876543212"}]}'
