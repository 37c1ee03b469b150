-- make loadtest's load, driven by wrk; scripts/loadtest.py writes what this reads and reads what
-- it writes:
--   wrk -t THREADS -c CLIENTS -d SECONDS --latency --timeout T -s scripts/loadtest.lua URL -- DIR
--
-- DIR/clients.tsv       line n: client n-1's "<CSRF secret>\t<session key>"
-- DIR/requests-<t>.tsv  thread t's requests, in order: "<kind>\t<method>\t<path>\t<client>\t<logged in 0|1>\t<body>"
--                       (started over from the top if the run outlasts them: `laps`)
-- DIR/acks-<t>.tsv      written by thread t as answers arrive, each line with the time of the
--                       answer on CLOCK_MONOTONIC (the clock of Python's time.monotonic()):
--                         comment <comment id> <time>       a 302 to #comment-<id>
--                         kudos <work id> <time>            a 302 to /works/<id>#kudos
--                         new_chapter <work id> <chapter id> <time>   a 302 to /works/<id>/chapters/<id>
--                         status <code> <time>              any answer that is not a 2xx or 3xx
-- done() prints one line, "loadtest-wrk {json}": wrk's counts, latency and socket errors, every
-- status seen, and how far the threads got through their lists.
--
-- wrk's thread:get() crashes on tables (Debian's 4.1.0), so threads keep plain numbers in globals
-- and write everything else to their file as it happens.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } loadtest_timespec;
int clock_gettime(int clock_id, loadtest_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("loadtest_timespec")

local function now()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
   return string.format("%.4f", tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9)
end

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   threads[#threads + 1] = thread
end

function init(args)
   local dir = args[1]
   csrf, guest_cookie, user_cookie = {}, {}, {}
   for line in io.lines(dir .. "/clients.tsv") do
      local secret, session = line:match("^(%S+)\t(%S+)$")
      csrf[#csrf + 1] = secret
      guest_cookie[#guest_cookie + 1] = "csrftoken=" .. secret
      user_cookie[#user_cookie + 1] = "sessionid=" .. session .. "; csrftoken=" .. secret
   end
   lines = {}
   for line in io.lines(dir .. "/requests-" .. id .. ".tsv") do
      lines[#lines + 1] = line
   end
   listed, position, laps = #lines, 0, 0
   acks = io.open(dir .. "/acks-" .. id .. ".tsv", "w")
   acks:setvbuf("line")
end

function request()
   position = position + 1
   if position > listed then
      position, laps = 1, laps + 1
   end
   local kind, method, path, client, logged_in, body =
      lines[position]:match("^(%S+)\t(%S+)\t(%S+)\t(%d+)\t(%d)\t(.*)$")
   client = tonumber(client) + 1
   local headers = {
      -- Read by nothing but gunicorn's access log, which reports each kind apart.
      ["X-Loadtest-Kind"] = kind,
      ["Cookie"] = logged_in == "1" and user_cookie[client] or guest_cookie[client],
   }
   if method == "POST" then
      headers["X-CSRFToken"] = csrf[client]
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      return wrk.format(method, path, headers, body)
   end
   return wrk.format(method, path, headers)
end

function response(status, headers, body)
   local name = "status_" .. status
   _G[name] = (_G[name] or 0) + 1
   if status >= 300 and status < 400 then
      local location = headers["Location"] or ""
      local comment = location:match("#comment%-(%d+)$")
      local kudos = location:match("^/works/(%d+)#kudos$")
      local story, chapter = location:match("^/works/(%d+)/chapters/(%d+)$")
      if comment then
         acks:write("comment\t", comment, "\t", now(), "\n")
      elseif kudos then
         acks:write("kudos\t", kudos, "\t", now(), "\n")
      elseif chapter then
         acks:write("new_chapter\t", story, "\t", chapter, "\t", now(), "\n")
      end
   elseif status >= 400 or status < 200 then
      acks:write("status\t", status, "\t", now(), "\n")
   end
end

function done(summary, latency, requests)
   local statuses = {}
   for code = 100, 599 do
      local count = 0
      for _, thread in ipairs(threads) do
         count = count + (thread:get("status_" .. code) or 0)
      end
      if count > 0 then
         statuses[#statuses + 1] = string.format('"%d": %d', code, count)
      end
   end
   local laps, listed, sent = 0, 0, 0
   for _, thread in ipairs(threads) do
      local thread_laps, thread_listed = thread:get("laps") or 0, thread:get("listed") or 0
      laps = laps + thread_laps
      listed = listed + thread_listed
      sent = sent + thread_laps * thread_listed + (thread:get("position") or 0)
   end
   local percentiles = {}
   for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
      percentiles[#percentiles + 1] = string.format('"%g": %d', p, latency:percentile(p))
   end
   local errors = summary.errors
   io.write(
      string.format(
         'loadtest-wrk {"duration_us": %d, "requests": %d, "bytes": %d, '
            .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "non_2xx_3xx": %d, '
            .. '"latency_us": {"min": %d, "max": %d, "mean": %.1f, "stdev": %.1f, "percentiles": {%s}}, '
            .. '"statuses": {%s}, "listed": %d, "sent": %d, "laps": %d}\n',
         summary.duration,
         summary.requests,
         summary.bytes,
         errors.connect,
         errors.read,
         errors.write,
         errors.timeout,
         errors.status,
         latency.min,
         latency.max,
         latency.mean,
         latency.stdev,
         table.concat(percentiles, ", "),
         table.concat(statuses, ", "),
         listed,
         sent,
         laps
      )
   )
end
