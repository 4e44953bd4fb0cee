-- wrk script: POST the body in the file $BENCH_BODY_FILE, of the type $BENCH_CONTENT_TYPE
-- (application/json when unset), as a program does: scripts/benchmark-web.sh writes
-- `{"instances": [...]}` bodies of 1 and 32 real reviews for the API's :predict, and the form body
-- of the first of them for /results. Counts non-2xx answers (bench/wrk-counts.lua).
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk-counts.lua")

local file = bench_open("BENCH_BODY_FILE", "post-body.lua", "the body")
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
wrk.body = file:read("*a")
file:close()
