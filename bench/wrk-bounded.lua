-- wrk script: GET /page.php?id=N&lang=en with browser-like headers and stop
-- the thread after BENCH_REQUESTS responses (run wrk with -t1, so the count
-- is global).  Requests already in flight on the other connections when the
-- limit is hit still complete on the FastCGI side, so the capture holds up to
-- (connections - 1) more; record-corpus.sh counts them in the capture.
-- wrk's main thread still sleeps for the whole -d duration after the worker
-- thread stopped, so the script also creates BENCH_DONE_FILE, on which
-- record-corpus.sh interrupts wrk (SIGINT makes it print its summary).
local limit = tonumber(os.getenv("BENCH_REQUESTS") or "25000")
local done_file = os.getenv("BENCH_DONE_FILE")
local sent, done = 0, 0

wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"
wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
wrk.headers["Accept-Language"] = "en-US,en;q=0.5"
wrk.headers["Accept-Encoding"] = "identity"

request = function()
   sent = sent + 1
   return wrk.format("GET", "/page.php?id=" .. sent .. "&lang=en")
end

response = function(status, headers, body)
   done = done + 1
   if done == limit then
      if done_file then
         local f = io.open(done_file, "w")
         if f then f:write(done, "\n"); f:close() end
      end
      wrk.thread:stop()
   end
end
