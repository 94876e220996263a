-- wrk script: request the paths listed one per line in the file given after `--`, in turn.
-- Used for both endpoints so the client does the same work for each.
local paths = {}
local n = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
