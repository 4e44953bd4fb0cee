-- wrk script: POSTs real reviews to the URL's path, one after another: the bodies (one per line)
-- in the file $BENCH_BODIES_FILE, of the type $BENCH_CONTENT_TYPE (a form,
-- application/x-www-form-urlencoded, when unset), which scripts/benchmark-web.sh writes from the
-- data set's test split (reviews of typical length): form bodies as a browser sends them for
-- /results, and `{"instances": [text]}` bodies of one text each for the API's :predict. Each
-- thread starts at its own place in the list. Counts non-2xx answers (bench/wrk-counts.lua).
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk-counts.lua")

local file = bench_open("BENCH_BODIES_FILE", "post-reviews.lua", "the bodies, one per line")
local bodies = {}
for line in file:lines() do
    if #line > 0 then table.insert(bodies, line) end
end
file:close()
if #bodies == 0 then
    error("post-reviews.lua: " .. os.getenv("BENCH_BODIES_FILE") .. " holds no body")
end

local headers = { ["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/x-www-form-urlencoded" }
local next_body = 1

function bench_init(args)
    -- wrk numbers its threads' states apart only by their addresses: start each at a pseudo-random place.
    next_body = (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % #bodies + 1
end

function request()
    local body = bodies[next_body]
    next_body = next_body % #bodies + 1
    return wrk.format("POST", nil, headers, body)
end
