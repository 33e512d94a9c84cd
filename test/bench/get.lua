-- test/bench/get.lua: GET the path of the URL, with the project header
-- (or X-Auth-Token: $BENCH_TOKEN when set).
--   wrk -s get.lua URL/v2/zones/ZONE_ID
dofile((os.getenv("BENCH_DIR") or "test/bench") .. "/report.lua")

function init(args)
	local token = os.getenv("BENCH_TOKEN")
	if token ~= nil and token ~= "" then
		wrk.headers["X-Auth-Token"] = token
	else
		wrk.headers["X-Auth-Project-ID"] = os.getenv("BENCH_PROJECT") or "bench"
	end
end
