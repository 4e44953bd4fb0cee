-- wrk script: POST /thanks, the feedback form of a results page ("Correct"), with the form body
-- scripts/benchmark-web.sh prepared in the file $BENCH_BODY_FILE: the signed hidden fields of a
-- real results page, URL-encoded, + feedback_button=Correct. Counts non-2xx answers
-- (bench/wrk-counts.lua).
--
-- Each 2xx answer acknowledges one row stored durably, and the script compares the 2xx count with
-- the rows in the database afterwards. For the two to be comparable exactly, no request may be in
-- flight when wrk stops (an unanswered request may still be stored). So with $BENCH_DRAIN_AFTER
-- (seconds after the start) every connection stops sending once its answer is in: delay() holds
-- the next request back past the end of the run. Requests/s is then counted over that time only
-- (active_us in the summary line).
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk-counts.lua")

local file = bench_open("BENCH_BODY_FILE", "post-thanks.lua", "the form body")
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.path = "/thanks"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = body

local drain_after = tonumber(os.getenv("BENCH_DRAIN_AFTER") or "")
if drain_after then
    bench_active_us = drain_after * 1e6

    function bench_init(args)
        bench_drain_at = bench_now_us() + drain_after * 1e6
    end

    function delay()
        if bench_now_us() < bench_drain_at then return 0 end
        return 24 * 3600 * 1000 -- milliseconds: never, within a run
    end
end
