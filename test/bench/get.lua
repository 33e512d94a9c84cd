-- test/bench/get.lua: GET the path of the URL, with the project header.
--   wrk -s get.lua URL/v2/zones/ZONE_ID
dofile((os.getenv("BENCH_DIR") or "test/bench") .. "/report.lua")

function init(args)
	wrk.headers["X-Auth-Project-ID"] = os.getenv("BENCH_PROJECT") or "bench"
end
