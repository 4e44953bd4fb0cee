-- Shared by the benchmark's wrk scripts (loaded with dofile): counts the responses by status and
-- prints one machine-readable summary line, which scripts/benchmark-web.sh turns into a table row.
--
-- wrk runs a script in several Lua states: one per thread for the requests and responses, and a
-- separate one for setup() and done(). A counter incremented in response() therefore lives in a
-- thread's state; done() collects them with thread:get(), from the thread objects setup() kept.
-- (Defining response() makes wrk parse every response's headers and body: a little slower.)

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    bench_2xx = 0
    bench_other = 0
    if bench_init then bench_init(args) end
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        bench_2xx = bench_2xx + 1
    else
        bench_other = bench_other + 1
    end
end

function done(summary, latency, requests)
    local ok, other = 0, 0
    for _, thread in ipairs(threads) do
        ok = ok + (thread:get("bench_2xx") or 0)
        other = other + (thread:get("bench_other") or 0)
    end
    local errors = summary.errors
    -- The time the load was on: the whole run, or up to the drain (see post-thanks.lua).
    local active = summary.duration
    if bench_active_us and bench_active_us < active then active = bench_active_us end
    io.write(string.format(
        "BENCH requests=%d ok=%d non2xx=%d connect=%d read=%d write=%d timeout=%d " ..
        "duration_us=%d active_us=%d p50_us=%d p99_us=%d max_us=%d\n",
        summary.requests, ok, other, errors.connect, errors.read, errors.write, errors.timeout,
        summary.duration, active, latency:percentile(50), latency:percentile(99), latency.max))
end

-- The number of microseconds since an arbitrary fixed point (LuaJIT's FFI; wrk runs LuaJIT).
function bench_now_us()
    if bench_clock == nil then
        local loaded, ffi = pcall(require, "ffi")
        if loaded then
            ffi.cdef [[
                typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
                int clock_gettime(int clock, bench_timespec *now);
            ]]
            local now = ffi.new("bench_timespec")
            bench_clock = function()
                ffi.C.clock_gettime(1, now) -- CLOCK_MONOTONIC
                return tonumber(now.tv_sec) * 1e6 + tonumber(now.tv_nsec) / 1e3
            end
        else
            bench_clock = function() return os.time() * 1e6 end
        end
    end
    return bench_clock()
end

-- application/x-www-form-urlencoded, as a browser sends a form: letters, digits and *-._ as they
-- are, space as +, every other byte of the UTF-8 as %XX.
function bench_form_encode(text)
    local encoded = text:gsub("[^%w%*%-%._ ]", function(c)
        return string.format("%%%02X", c:byte())
    end)
    return (encoded:gsub(" ", "+"))
end

-- The file named by the environment variable `variable`, opened for reading, or an error that
-- says `script` needs it set to `what`, raised at the caller's line (wrk panics on an error
-- located in a file it loaded with dofile).
function bench_open(variable, script, what)
    local path = os.getenv(variable)
    local file = path and io.open(path, "rb")
    if not file then
        error(script .. ": set " .. variable .. " to the file of " .. what, 2)
    end
    return file
end
