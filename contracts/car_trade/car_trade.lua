-- car_trade: placeholder until the full contract lands (replaced in this same change).
local M = {}
function M.ping(args) return { pong = args.n or 0 } end
return M
