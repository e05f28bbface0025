-- wrk script: POST request bodies taken in turn from a file of one JSON body a line
-- (vector_bodies.py writes them), to the path STRATA_PATH (default /v1/search).
-- Usage: STRATA_QUERIES=bodies.txt STRATA_PATH=/v1/search wrk -t2 -c16 -d20s --latency -s Benchmarks/server/bodies.lua URL
local bodies = {}
local file = assert(io.open(os.getenv("STRATA_QUERIES") or "bodies.txt", "r"))
for line in file:lines() do
  if #line > 0 then table.insert(bodies, line) end
end
file:close()
local path = os.getenv("STRATA_PATH") or "/v1/search"

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, bodies[(counter % #bodies) + 1])
end

-- The summary line compare.sh reads (summary.lua, beside this script).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "summary.lua")
