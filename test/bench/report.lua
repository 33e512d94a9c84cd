-- test/bench/report.lua: the done() shared by the bench scripts (loaded
-- with dofile).  Prints one machine-readable line for bench.sh.
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
	    "RESULT requests=%d duration_us=%d non2xx=%d sockerr=%d p50_us=%d p99_us=%d\n",
	    summary.requests, summary.duration, e.status,
	    e.connect + e.read + e.write + e.timeout,
	    latency:percentile(50), latency:percentile(99)))
end
