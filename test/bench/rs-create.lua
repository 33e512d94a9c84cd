-- test/bench/rs-create.lua: POST a new A recordset on every request.
--   wrk -s rs-create.lua URL -- PREFIX ZONE_ID ZONE_NAME
-- Names are PREFIX-THREAD-COUNTER.ZONE_NAME, so several wrk processes
-- (different PREFIX) and threads never collide.
dofile((os.getenv("BENCH_DIR") or "test/bench") .. "/report.lua")

local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local prefix, zname
local n = 0
function init(args)
	prefix = args[1] or "b"
	zname = args[3]
	wrk.method = "POST"
	wrk.path = "/v2/zones/" .. args[2] .. "/recordsets"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["X-Auth-Project-ID"] = os.getenv("BENCH_PROJECT") or "bench"
end

function request()
	n = n + 1
	return wrk.format(nil, nil, nil, string.format(
	    '{"name":"%s-%d-%d.%s","type":"A","records":["192.0.2.%d"]}',
	    prefix, tid or 0, n, zname, n % 250 + 1))
end
