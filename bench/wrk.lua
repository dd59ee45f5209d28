-- Driven by environment variables so that bench/run needs one script for every wrk run:
--   BENCH_AUTH       value of the Authorization header (downloads)
--   BENCH_BODY_FILE  POST this file's content (uploads), with
--   BENCH_OWNER      the Bundle-Owner header
-- Prints one line, "RESULT key=value ...", that bench/lib.sh parses.

local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/octet-stream"
  wrk.headers["Bundle-Owner"] = os.getenv("BENCH_OWNER")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d bytes=%d seconds=%.3f errors=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.bytes, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
