-- wrk script: GET / (the review form), counting non-2xx answers (bench/wrk-counts.lua).
--   wrk -t2 -c32 -d10s -s bench/get-form.lua http://127.0.0.1:PORT/
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk-counts.lua")

wrk.method = "GET"
