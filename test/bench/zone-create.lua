-- test/bench/zone-create.lua: POST a new zone on every request.
--   wrk -s zone-create.lua URL -- PREFIX RUN
-- Names are PREFIX-RUN-THREAD-COUNTER.bench.test., unique across wrk
-- processes (different PREFIX), runs (different RUN) and threads.
dofile((os.getenv("BENCH_DIR") or "test/bench") .. "/report.lua")

local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local prefix
local n = 0
function init(args)
	prefix = (args[1] or "b") .. "-" .. (args[2] or "r")
	wrk.method = "POST"
	wrk.path = "/v2/zones"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["X-Auth-Project-ID"] = os.getenv("BENCH_PROJECT") or "bench"
end

function request()
	n = n + 1
	return wrk.format(nil, nil, nil, string.format(
	    '{"name":"%s-%d-%d.bench.test.","email":"hostmaster@bench.test"}',
	    prefix, tid or 0, n))
end
