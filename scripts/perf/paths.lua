-- make perf: each request asks for the next path of a list, so no two requests ask the same
-- question until the list runs out (then it starts over; scripts/perf.py reports repeats).
--   wrk -s scripts/perf/paths.lua URL -- PATHS_FILE FIRST_LINE THREADS
-- Thread n of THREADS takes lines FIRST_LINE + n, + n + THREADS, ... Headers given with -H
-- (the session cookie) go on every request.

local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   position = tonumber(args[2]) + id
   step = tonumber(args[3])
end

function request()
   local path = paths[(position % #paths) + 1]
   position = position + step
   return wrk.format(nil, path)
end
