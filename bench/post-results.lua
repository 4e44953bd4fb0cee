-- wrk script: POST /results with a typical review (1,209 characters; the mean review of the book's
-- data set is 1,316 bytes), form-encoded as a browser sends it; counts non-2xx answers
-- (bench/wrk-counts.lua).
--   wrk -t2 -c32 -d10s -s bench/post-results.lua http://127.0.0.1:PORT/results
-- scripts/benchmark-web.sh reads the review from this file too (the text between the [[ ]] below,
-- whitespace runs as one space), to get the signed fields for POST /thanks.
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk-counts.lua")

local review = [[
I went in knowing almost nothing about this one except that a friend kept insisting I see it,
and I'm glad I listened. The story follows a retired lighthouse keeper who agrees to look after
his teenage granddaughter for one summer, and what could have been a sentimental tale turns
into something sharper and funnier. The script gives both characters real flaws: he is stubborn
and proud, she is bored and a little cruel, and neither of them learns a tidy lesson by the
end. The performances are superb. The lead has the kind of weathered face that tells you his
whole history before he says a word, and the young actress holds her own in every scene they
share. The photography makes the coast look cold, wild and beautiful without ever turning it
into a postcard. I did have a few problems. The middle act drags, there is a subplot about a
property developer that feels borrowed from a weaker film, and the score leans too hard on
swelling strings whenever the emotions rise. But the final twenty minutes are wonderful -
quiet, honest and genuinely moving - and I left the cinema smiling. It's not a perfect film,
but it is a generous one, and I'd recommend it to anyone who enjoys "small" character dramas.
]]
review = review:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")

wrk.method = "POST"
wrk.path = "/results"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "review=" .. bench_form_encode(review)
