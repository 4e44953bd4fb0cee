-- wrk: POST the form body in the file named by $BODY; count answers other than 200.
local file = io.open(os.getenv("BODY"), "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local failed = 0
function response(status, headers, body)
    if status ~= 200 then failed = failed + 1 end
end

function done(summary, latency, requests)
    io.write(string.format("non-200: %d\n", failed))
end
