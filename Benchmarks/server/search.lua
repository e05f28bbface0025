-- wrk script: POST /v1/search with RAG-style queries taken in turn from queries.txt (one per
-- line, e.g. the "text" of Benchmarks/data/store/queries.jsonl), k = 10.
-- Usage: wrk -t2 -c16 -d60s --latency -s Benchmarks/server/search.lua http://127.0.0.1:8765
local queries = {}
local file = io.open(os.getenv("STRATA_QUERIES") or "Benchmarks/server/queries.txt", "r")
if file then
  for line in file:lines() do
    if #line > 0 then table.insert(queries, line) end
  end
  file:close()
end
if #queries == 0 then queries = { "write rows to postgres", "parse a config file", "retry with backoff" } end

local counter = 0
request = function()
  counter = counter + 1
  local text = queries[(counter % #queries) + 1]:gsub('\\', '\\\\'):gsub('"', '\\"')
  local body = '{"text":"' .. text .. '","k":10,"with_text":false}'
  return wrk.format("POST", "/v1/search", { ["Content-Type"] = "application/json" }, body)
end

-- The summary line compare.sh reads (summary.lua, beside this script).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "summary.lua")
