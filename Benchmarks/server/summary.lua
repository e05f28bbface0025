-- The one-line summary wrk prints at the end of a run, for compare.sh to read:
-- requests, errors, req/s, p50 and p99. Loaded by search.lua and bodies.lua.
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d, timeout %d, connect %d), %.0f req/s, p50 %.2f ms, p99 %.2f ms\n",
    summary.requests, summary.errors.status + summary.errors.timeout + summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.status, summary.errors.timeout, summary.errors.connect,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
