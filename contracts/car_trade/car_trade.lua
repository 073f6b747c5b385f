-- car_trade v1: cars, inspections, listings, escrow ("pay after confirming") and wallets.
--
-- API.md next to this file is the contract's documentation: functions, arguments, state
-- keys, records, events and rules. Keep the two in step.
--
-- Every rule lives here. The runtime (ledger/contract_runtime.h) gives us the global
-- `ledger` table (get/put/del/range/history/caller/tx_id/timestamp/height/seed/emit/
-- reject) and `json`; there are no floats, no clock but the block time, `pairs` iterates in
-- sorted order, and globals are read-only after load, so everything below is local.
--
-- Layout:
--   1. constants and small utilities
--   2. validation helpers (messages start with the offending field's name)
--   3. state access: cars, wallets, stats, config, escrows
--   4. car events and the summary fold
--   5. contract functions: cars, inspections, listings, wallet, escrow, flags, config

local M = {}

---------------------------------------------------------------------------------------------
-- 1. Constants and small utilities
---------------------------------------------------------------------------------------------

local DAY_MS = 86400000
local MIN_YEAR = 1950                    -- oldest model year we register
local MAX_ODOMETER_KM = 9999999
local MAX_PRICE = 1000000000000          -- 1 trillion won: far above any car
local MAX_CHARGE = 1000000000000         -- one charge request
local MAX_BALANCE = 1000000000000000000  -- 10^18 won, well inside 64-bit integers
local MAX_PHOTOS = 30
local MAX_PRICE_HISTORY = 100            -- the car record keeps the latest 100; events keep all
local MAX_PANELS = 60
local MAX_COMPONENTS = 60
local MAX_REMARKS_BYTES = 4000
local DEFAULT_AUTO_CONFIRM_DAYS = 7
local MAX_AUTO_CONFIRM_DAYS = 90

local FUELS = { "gasoline", "diesel", "lpg", "hybrid", "electric", "hydrogen" }
local TRANSMISSIONS = { "automatic", "manual", "semi-auto", "cvt" }
local GAUGE_STATES = { "good", "faulty", "unknown" }
local WARRANTIES = { "self", "insurer" }
local IDENTITY_CHECKS = { "good", "mismatch", "corroded", "damaged", "altered", "painted_over" }
local DIAGNOSIS_STATES = { "good", "needs_repair" }
local COMPONENT_STATES = { "good", "leak", "needs_repair" }
local USAGE_HISTORIES = { "none", "rental", "commercial" }
-- Body-diagram marks: X replaced, W sheet-metal/welded, C corrosion, A scratch, U dent, T damage.
local PANEL_MARKS = { "X", "W", "C", "A", "U", "T" }
-- Marks that mean the part was repaired or replaced (the accident rule looks at these).
local REPAIR_MARKS = { X = true, W = true }

-- The accident rule (inspection-record.md, back page): replacing or repairing bolt-on outer
-- panels (door, hood, front fender, trunk lid) is a simple repair; repairing or replacing a
-- welded main-frame part makes the car an accident car. A panel is a frame part when its
-- name, lower-cased with spaces, '_' and '-' removed, contains one of these words. English
-- and the Korean names from the official form are both recognised.
local FRAME_PARTS = {
  "pillar", "필러",                     -- A/B/C pillars
  "sidemember", "사이드멤버",           -- side members
  "wheelhouse", "휠하우스",             -- wheel houses
  "insidepanel", "인사이드패널",        -- inside panels
  "rearpanel", "리어패널",              -- rear panel
}

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

local FUEL_SET = set_of(FUELS)
local TRANSMISSION_SET = set_of(TRANSMISSIONS)
local GAUGE_SET = set_of(GAUGE_STATES)
local WARRANTY_SET = set_of(WARRANTIES)
local IDENTITY_SET = set_of(IDENTITY_CHECKS)
local DIAGNOSIS_SET = set_of(DIAGNOSIS_STATES)
local COMPONENT_SET = set_of(COMPONENT_STATES)
local USAGE_SET = set_of(USAGE_HISTORIES)
local MARK_SET = set_of(PANEL_MARKS)

-- Rejects the transaction: a rule was broken. Final, even inside pcall.
local function fail(fmt, ...)
  ledger.reject(string.format(fmt, ...))
end

-- 23500000 -> "23,500,000 won"
local function won(n)
  local digits = tostring(n)
  local sign = ""
  if digits:sub(1, 1) == "-" then sign, digits = "-", digits:sub(2) end
  local grouped = digits:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  if grouped:sub(1, 1) == "," then grouped = grouped:sub(2) end
  return sign .. grouped .. " won"
end

-- Days since 1970-01-01 -> year, month, day (proleptic Gregorian; integers only).
local function civil_from_days(z)
  z = z + 719468
  local era = z // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

-- The block's date (UTC): the only clock a contract has.
local function block_date()
  return civil_from_days(ledger.timestamp() // DAY_MS)
end

local function is_leap(y)
  return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
end

local function days_in_month(y, m)
  local days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if m == 2 and is_leap(y) then return 29 end
  return days[m]
end

local function join(list)
  return table.concat(list, ", ")
end

---------------------------------------------------------------------------------------------
-- 2. Validation helpers. Each returns the (normalised) value or rejects with
--    "<field>: <what is wrong>".
---------------------------------------------------------------------------------------------

-- Refuses fields the function does not know (a typo must not be silently ignored).
local function only_fields(t, allowed, prefix)
  for k in pairs(t) do
    if type(k) ~= "string" or not allowed[k] then
      fail("%s%s: unknown field", prefix or "", tostring(k))
    end
  end
end

local function need_table(v, name)
  if type(v) ~= "table" then
    if v == nil then fail("%s: required", name) end
    fail("%s: must be an object", name)
  end
  return v
end

local function need_int(v, name, lo, hi)
  if math.type(v) ~= "integer" then
    if v == nil then fail("%s: required (an integer)", name) end
    fail("%s: must be an integer", name)
  end
  if v < lo or v > hi then
    fail("%s: must be between %d and %d, got %d", name, lo, hi, v)
  end
  return v
end

local function opt_int(v, name, lo, hi)
  if v == nil then return nil end
  return need_int(v, name, lo, hi)
end

local function need_bool(v, name)
  if type(v) ~= "boolean" then
    if v == nil then fail("%s: required (true or false)", name) end
    fail("%s: must be true or false", name)
  end
  return v
end

-- Text: a non-blank string of at most max_bytes bytes, without control characters
-- (multiline text may hold line breaks and tabs).
local function need_text(v, name, max_bytes, multiline)
  if type(v) ~= "string" then
    if v == nil then fail("%s: required", name) end
    fail("%s: must be a string", name)
  end
  if not v:find("%S") then fail("%s: must not be empty", name) end
  if #v > max_bytes then fail("%s: at most %d bytes, got %d", name, max_bytes, #v) end
  local stripped = multiline and v:gsub("[\n\r\t]", " ") or v
  if stripped:find("%c") then fail("%s: must not contain control characters", name) end
  return v
end

local function opt_text(v, name, max_bytes, multiline)
  if v == nil then return nil end
  return need_text(v, name, max_bytes, multiline)
end

local function need_enum(v, name, set, list)
  if type(v) ~= "string" then
    if v == nil then fail("%s: required (one of %s)", name, join(list)) end
    fail("%s: must be a string (one of %s)", name, join(list))
  end
  if not set[v] then fail("%s: must be one of %s, got '%s'", name, join(list), v) end
  return v
end

-- A 64-character lower-case hex string: key ids, transaction ids, sha256 digests.
local function need_hex64(v, name)
  if type(v) ~= "string" then
    if v == nil then fail("%s: required", name) end
    fail("%s: must be a string", name)
  end
  if #v ~= 64 or v:find("[^0-9a-f]") then
    fail("%s: must be 64 lower-case hex characters", name)
  end
  return v
end

-- A JSON array: keys exactly 1..n. Returns n.
local function need_array(v, name, max_items)
  if type(v) ~= "table" then
    if v == nil then fail("%s: required (an array)", name) end
    fail("%s: must be an array", name)
  end
  local n = 0
  for k in pairs(v) do
    if math.type(k) ~= "integer" then fail("%s: must be an array", name) end
    n = n + 1
  end
  if n ~= #v then fail("%s: must be an array", name) end
  if n > max_items then fail("%s: at most %d items, got %d", name, max_items, n) end
  return n
end

local function need_money(v, name, max)
  return need_int(v, name, 1, max)
end

-- "YYYY-MM-DD", a real date, not after the block date.
local function need_date(v, name)
  if type(v) ~= "string" then
    if v == nil then fail("%s: required (YYYY-MM-DD)", name) end
    fail("%s: must be a date string YYYY-MM-DD", name)
  end
  local ys, ms, ds = v:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not ys then fail("%s: must be a date YYYY-MM-DD, got '%s'", name, v) end
  local y, m, d = math.tointeger(tonumber(ys)), math.tointeger(tonumber(ms)), math.tointeger(tonumber(ds))
  if m < 1 or m > 12 or d < 1 or d > days_in_month(y, m) then
    fail("%s: '%s' is not a valid date", name, v)
  end
  if y < MIN_YEAR then fail("%s: must not be before %d", name, MIN_YEAR) end
  local by, bm, bd = block_date()
  if y * 10000 + m * 100 + d > by * 10000 + bm * 100 + bd then
    fail("%s: '%s' is in the future", name, v)
  end
  return v
end

-- VIN (ISO 3779): 17 characters from A-Z and 0-9 without I, O and Q.
local VIN_VALUES = {
  A = 1, B = 2, C = 3, D = 4, E = 5, F = 6, G = 7, H = 8,
  J = 1, K = 2, L = 3, M = 4, N = 5, P = 7, R = 9,
  S = 2, T = 3, U = 4, V = 5, W = 6, X = 7, Y = 8, Z = 9,
}
local VIN_WEIGHTS = { 8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2 }

-- The North American check digit (position 9): transliterate, weight, sum mod 11; 10 is 'X'.
local function vin_check_digit(vin)
  local sum = 0
  for i = 1, 17 do
    local c = vin:sub(i, i)
    local value = VIN_VALUES[c] or (c:byte() - 48)
    sum = sum + value * VIN_WEIGHTS[i]
  end
  local r = sum % 11
  if r == 10 then return "X" end
  return tostring(r)
end

local function need_vin(v)
  if type(v) ~= "string" then
    if v == nil then fail("vin: required (17 characters)") end
    fail("vin: must be a string of 17 characters")
  end
  local vin = v:upper()
  if #vin ~= 17 then fail("vin: must be 17 characters, got %d", #vin) end
  local bad = vin:find("[^A-HJ-NPR-Z0-9]")
  if bad then
    local c = vin:sub(bad, bad)
    if c == "I" or c == "O" or c == "Q" then
      fail("vin: letter '%s' at position %d is never used in a VIN (no I, O or Q)", c, bad)
    end
    fail("vin: character at position %d is not allowed (only A-Z without I, O, Q, and 0-9)", bad)
  end
  -- The check digit is mandatory for North American VINs (WMI first character 1-5). Other
  -- regions do not require it: Korean VINs (first character K) put a manufacturer code in
  -- position 9, and European ones often a filler, so we do not check theirs.
  local region = vin:sub(1, 1)
  if region >= "1" and region <= "5" then
    local want = vin_check_digit(vin)
    if vin:sub(9, 9) ~= want then
      fail("vin: check digit should be '%s' (position 9 is '%s')", want, vin:sub(9, 9))
    end
  end
  return vin
end

local function need_photos(v)
  local photos = json.array()
  if v == nil then return photos end
  local n = need_array(v, "photos", MAX_PHOTOS)
  local seen = {}
  for i = 1, n do
    local name = string.format("photos[%d]", i)
    if type(v[i]) ~= "string" then fail("%s: must be a sha256 hex string", name) end
    local h = v[i]:lower()
    if #h ~= 64 or h:find("[^0-9a-f]") then fail("%s: must be a sha256 digest (64 hex characters)", name) end
    if seen[h] then fail("%s: duplicate photo", name) end
    seen[h] = true
    photos[i] = h
  end
  return photos
end

-- The official inspection record (inspection-record.md). Returns a normalised copy that
-- holds only known fields.
local RECORD_FIELDS = set_of({
  "odometer_km", "gauge_state", "model_year", "first_registration", "engine_type", "transmission",
  "warranty", "identity_check", "illegal_modification", "accident", "flood", "self_diagnosis",
  "emissions", "components", "usage_history", "panels", "remarks", "inspector_name", "plate",
})

local function need_inspection_record(v)
  local r = need_table(v, "record")
  only_fields(r, RECORD_FIELDS, "record.")
  local year_now = block_date()
  local out = {}
  out.odometer_km = need_int(r.odometer_km, "record.odometer_km", 0, MAX_ODOMETER_KM)
  out.gauge_state = need_enum(r.gauge_state, "record.gauge_state", GAUGE_SET, GAUGE_STATES)
  out.model_year = need_int(r.model_year, "record.model_year", MIN_YEAR, year_now + 1)
  out.first_registration = need_date(r.first_registration, "record.first_registration")
  out.engine_type = need_text(r.engine_type, "record.engine_type", 40)
  out.transmission = need_enum(r.transmission, "record.transmission", TRANSMISSION_SET, TRANSMISSIONS)
  out.warranty = need_enum(r.warranty, "record.warranty", WARRANTY_SET, WARRANTIES)
  out.identity_check = need_enum(r.identity_check, "record.identity_check", IDENTITY_SET, IDENTITY_CHECKS)
  out.illegal_modification = need_bool(r.illegal_modification, "record.illegal_modification")
  out.accident = need_bool(r.accident, "record.accident")
  out.flood = need_bool(r.flood, "record.flood")

  local sd = need_table(r.self_diagnosis, "record.self_diagnosis")
  only_fields(sd, set_of({ "engine", "transmission" }), "record.self_diagnosis.")
  out.self_diagnosis = {
    engine = need_enum(sd.engine, "record.self_diagnosis.engine", DIAGNOSIS_SET, DIAGNOSIS_STATES),
    transmission = need_enum(sd.transmission, "record.self_diagnosis.transmission", DIAGNOSIS_SET,
                             DIAGNOSIS_STATES),
  }

  out.emissions = {}
  if r.emissions ~= nil then
    local em = need_table(r.emissions, "record.emissions")
    only_fields(em, set_of({ "co_pct_x100", "hc_ppm", "smoke_pct" }), "record.emissions.")
    out.emissions.co_pct_x100 = opt_int(em.co_pct_x100, "record.emissions.co_pct_x100", 0, 10000)
    out.emissions.hc_ppm = opt_int(em.hc_ppm, "record.emissions.hc_ppm", 0, 100000)
    out.emissions.smoke_pct = opt_int(em.smoke_pct, "record.emissions.smoke_pct", 0, 100)
  end

  out.components = {}
  if r.components ~= nil then
    local comps = need_table(r.components, "record.components")
    local count = 0
    for name, state in pairs(comps) do
      if type(name) ~= "string" then fail("record.components: must be an object of name -> state") end
      count = count + 1
      if count > MAX_COMPONENTS then fail("record.components: at most %d components", MAX_COMPONENTS) end
      need_text(name, "record.components", 60)
      out.components[name] = need_enum(state, "record.components." .. name, COMPONENT_SET, COMPONENT_STATES)
    end
  end

  out.usage_history = "none"
  if r.usage_history ~= nil then
    out.usage_history = need_enum(r.usage_history, "record.usage_history", USAGE_SET, USAGE_HISTORIES)
  end

  out.panels = json.array()
  if r.panels ~= nil then
    local n = need_array(r.panels, "record.panels", MAX_PANELS)
    for i = 1, n do
      local where = string.format("record.panels[%d]", i)
      local p = need_table(r.panels[i], where)
      only_fields(p, set_of({ "panel", "mark" }), where .. ".")
      out.panels[i] = {
        panel = need_text(p.panel, where .. ".panel", 40),
        mark = need_enum(p.mark, where .. ".mark", MARK_SET, PANEL_MARKS),
      }
    end
  end

  out.remarks = opt_text(r.remarks, "record.remarks", MAX_REMARKS_BYTES, true)
  out.inspector_name = need_text(r.inspector_name, "record.inspector_name", 60)
  out.plate = opt_text(r.plate, "record.plate", 20)
  return out
end

---------------------------------------------------------------------------------------------
-- 3. State access
---------------------------------------------------------------------------------------------

local function load_json(key)
  local s = ledger.get(key)
  if s == nil then return nil end
  return json.decode(s)
end

local function store_json(key, value)
  ledger.put(key, json.encode(value))
end

local function load_car(vin)
  local car = load_json("car/" .. vin)
  if car == nil then fail("vin: no car is registered with VIN %s", vin) end
  return car
end

local function save_car(car)
  store_json("car/" .. car.vin, car)
end

local function balance_of(id)
  local w = load_json("wallet/" .. id)
  return w and w.balance or 0
end

local function set_balance(id, amount)
  store_json("wallet/" .. id, { balance = amount })
end

local function credit(id, amount)
  local b = balance_of(id)
  if b > MAX_BALANCE - amount then fail("amount: the wallet would exceed %s", won(MAX_BALANCE)) end
  set_balance(id, b + amount)
end

local function debit(id, amount, field)
  local b = balance_of(id)
  if b < amount then
    fail("%s: insufficient balance: %s needed, the wallet holds %s", field, won(amount), won(b))
  end
  set_balance(id, b - amount)
end

local function load_stats()
  local s = load_json("stats") or {}
  s.escrow_locked = s.escrow_locked or 0
  s.charged = s.charged or 0
  return s
end

local function save_stats(s)
  store_json("stats", s)
end

local function auto_confirm_days()
  local cfg = load_json("config")
  return (cfg and cfg.auto_confirm_days) or DEFAULT_AUTO_CONFIRM_DAYS
end

local function load_escrow(args)
  local id = need_hex64(args.escrow_id, "escrow_id")
  local e = load_json("escrow/" .. id)
  if e == nil then fail("escrow_id: no escrow %s", id) end
  return e
end

local function save_escrow(e)
  store_json("escrow/" .. e.id, e)
end

-- Who may call: by role.
local function need_role(who, role, action)
  if who.role ~= role then
    local article = (role == "agency" or role == "admin") and "an " or "a "
    local label = role == "agency" and "inspection agency" or (role == "user" and "trader" or role)
    fail("only %s%s may %s (caller's role is '%s')", article, label, action, who.role)
  end
end

---------------------------------------------------------------------------------------------
-- 4. Car events and the summary
--
-- Every change to a car appends an event under event/<VIN>/<seq:8>; each names the tx id
-- of the event before it (prev_tx) and the car keeps the last one (last_tx) and the count,
-- so a history with an event left out does not verify. The summary is a fold over the
-- events (fold_summary), updated as each one is appended.
---------------------------------------------------------------------------------------------

local function fold_summary(s, ev)
  local t, d = ev.type, ev.data
  if t == "registered" then
    s.owners = 1
    s.accidents = 0
    s.flood = false
    s.rollback = false
    s.odometer_unverified = false
    s.identity_issue = false
    s.fraud = false
    s.inspections = 0
  elseif t == "inspected" then
    local f = d.findings
    s.inspections = s.inspections + 1
    s.last_inspection_at = ev.at
    if f.accident then s.accidents = s.accidents + 1 end
    if f.flood then s.flood = true end
    if f.odometer_unverified then s.odometer_unverified = true end
    if f.identity_issue then s.identity_issue = true end
  elseif t == "rollback_detected" then
    s.rollback = true
  elseif t == "sold" then
    s.owners = s.owners + 1
  elseif t == "flagged_fraud" then
    s.fraud = true
  end
end

local function add_event(car, etype, data)
  local seq = car.event_count + 1
  local ev = {
    seq = seq,
    type = etype,
    tx_id = ledger.tx_id(),
    prev_tx = car.last_tx,
    at = ledger.timestamp(),
    by = ledger.caller().id,
    data = data,
  }
  store_json(string.format("event/%s/%08d", car.vin, seq), ev)
  car.event_count = seq
  car.last_tx = ev.tx_id
  fold_summary(car.summary, ev)
  ledger.emit(etype, { vin = car.vin, seq = seq, tx_id = ev.tx_id, prev_tx = ev.prev_tx, data = data })
  return ev
end

local function push_price(car, price)
  local h = car.price_history
  h[#h + 1] = { price = price, at = ledger.timestamp() }
  if #h > MAX_PRICE_HISTORY then table.remove(h, 1) end
end

local function need_owner(car, who, action)
  if car.owner ~= who.id then fail("only the car's owner may %s", action) end
end

-- Rules shared by list/reprice/delist: the car must not be in escrow.
local function need_not_in_escrow(car)
  if car.status == "in_escrow" then fail("car is in escrow (escrow %s)", car.escrow) end
end

---------------------------------------------------------------------------------------------
-- 5. Contract functions
---------------------------------------------------------------------------------------------

-- Cars --------------------------------------------------------------------------------------

local REGISTER_FIELDS = set_of({
  "vin", "make", "model", "year", "fuel", "transmission", "colour", "odometer_km", "photos", "plate", "region",
})

function M.register_car(a)
  local who = ledger.caller()
  need_role(who, "user", "register a car")
  only_fields(a, REGISTER_FIELDS)
  local vin = need_vin(a.vin)
  if ledger.get("car/" .. vin) ~= nil then fail("vin: %s is already registered", vin) end
  local year_now = block_date()
  local make = need_text(a.make, "make", 40)
  local model = need_text(a.model, "model", 60)
  local year = need_int(a.year, "year", MIN_YEAR, year_now + 1)
  local fuel = need_enum(a.fuel, "fuel", FUEL_SET, FUELS)
  local transmission = need_enum(a.transmission, "transmission", TRANSMISSION_SET, TRANSMISSIONS)
  local colour = need_text(a.colour, "colour", 30)
  local odometer = need_int(a.odometer_km, "odometer_km", 0, MAX_ODOMETER_KM)
  local photos = need_photos(a.photos)
  local plate = opt_text(a.plate, "plate", 20)
  local region = opt_text(a.region, "region", 40)

  local car = {
    vin = vin, make = make, model = model, year = year, fuel = fuel, transmission = transmission,
    colour = colour, odometer_km = odometer, max_odometer_km = odometer, photos = photos,
    plate = plate, region = region, owner = who.id, status = "registered",
    price_history = json.array(), event_count = 0, last_tx = "",
    registered_at = ledger.timestamp(), summary = {},
  }
  add_event(car, "registered", {
    owner = who.id, make = make, model = model, year = year, fuel = fuel,
    transmission = transmission, colour = colour, odometer_km = odometer, photos = photos,
    plate = plate, region = region,
  })
  save_car(car)
  return { vin = vin, seq = car.event_count, status = car.status }
end

-- Inspections -------------------------------------------------------------------------------

-- Frame parts among the panels marked replaced (X) or welded (W).
local function frame_repairs(panels)
  local found = json.array()
  for _, p in ipairs(panels) do
    if REPAIR_MARKS[p.mark] then
      local key = p.panel:lower():gsub("[%s_%-]", "")
      for _, part in ipairs(FRAME_PARTS) do
        if key:find(part, 1, true) then
          found[#found + 1] = { panel = p.panel, mark = p.mark }
          break
        end
      end
    end
  end
  return found
end

function M.record_inspection(a)
  local who = ledger.caller()
  need_role(who, "agency", "record an inspection")
  only_fields(a, set_of({ "vin", "record" }))
  local vin = need_vin(a.vin)
  local car = load_car(vin)
  local rec = need_inspection_record(a.record)

  local frame = frame_repairs(rec.panels)
  local earlier_max = car.max_odometer_km
  local findings = {
    accident = rec.accident or #frame > 0,
    accident_by_frame_rule = (not rec.accident) and #frame > 0,
    frame_repairs = frame,
    flood = rec.flood,
    odometer_unverified = rec.gauge_state ~= "good",
    rollback = rec.odometer_km < earlier_max,
    year_mismatch = rec.model_year ~= car.year,
    identity_issue = rec.identity_check ~= "good" or rec.model_year ~= car.year,
  }
  add_event(car, "inspected", {
    record = rec,
    findings = findings,
    agency = { id = who.id, org = who.org, name = who.name },
  })
  car.odometer_km = rec.odometer_km
  if rec.odometer_km > earlier_max then car.max_odometer_km = rec.odometer_km end
  if findings.rollback then
    add_event(car, "rollback_detected", {
      reading_km = rec.odometer_km, highest_earlier_km = earlier_max, source = "inspection",
    })
  end
  save_car(car)
  return { vin = vin, seq = car.event_count, findings = findings, summary = car.summary }
end

-- Listings ----------------------------------------------------------------------------------

function M.list(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "vin", "price" }))
  local car = load_car(need_vin(a.vin))
  need_owner(car, who, "list it")
  need_not_in_escrow(car)
  if car.status == "listed" then fail("car is already listed at %s (use reprice)", won(car.price)) end
  local price = need_money(a.price, "price", MAX_PRICE)
  car.status = "listed"
  car.price = price
  push_price(car, price)
  add_event(car, "listed", { price = price })
  save_car(car)
  return { vin = car.vin, status = car.status, price = price }
end

function M.reprice(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "vin", "price" }))
  local car = load_car(need_vin(a.vin))
  need_owner(car, who, "reprice it")
  need_not_in_escrow(car)
  if car.status ~= "listed" then fail("car is not listed") end
  local price = need_money(a.price, "price", MAX_PRICE)
  if price == car.price then fail("price: is already %s", won(price)) end
  local previous = car.price
  car.price = price
  push_price(car, price)
  add_event(car, "repriced", { price = price, previous = previous })
  save_car(car)
  return { vin = car.vin, status = car.status, price = price, previous = previous }
end

function M.delist(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "vin" }))
  local car = load_car(need_vin(a.vin))
  need_owner(car, who, "delist it")
  need_not_in_escrow(car)
  if car.status ~= "listed" then fail("car is not listed") end
  car.status = "registered"
  car.price = nil
  add_event(car, "delisted", {})
  save_car(car)
  return { vin = car.vin, status = car.status }
end

-- Wallet ------------------------------------------------------------------------------------

function M.request_charge(a)
  local who = ledger.caller()
  need_role(who, "user", "request a charge")
  only_fields(a, set_of({ "amount" }))
  local amount = need_money(a.amount, "amount", MAX_CHARGE)
  local id = ledger.tx_id()
  store_json("charge/" .. id, {
    id = id, requester = who.id, amount = amount, status = "pending", requested_at = ledger.timestamp(),
  })
  ledger.emit("charge_requested", { charge_id = id, requester = who.id, amount = amount })
  return { charge_id = id, status = "pending" }
end

local function load_pending_charge(a)
  local id = need_hex64(a.charge_id, "charge_id")
  local c = load_json("charge/" .. id)
  if c == nil then fail("charge_id: no charge request %s", id) end
  if c.status ~= "pending" then fail("charge_id: the charge is already %s", c.status) end
  return c
end

function M.approve_charge(a)
  local who = ledger.caller()
  need_role(who, "admin", "approve a charge")
  only_fields(a, set_of({ "charge_id" }))
  local c = load_pending_charge(a)
  credit(c.requester, c.amount)
  local stats = load_stats()
  stats.charged = stats.charged + c.amount
  save_stats(stats)
  c.status = "approved"
  c.decided_by = who.id
  c.decided_at = ledger.timestamp()
  store_json("charge/" .. c.id, c)
  ledger.emit("charge_approved", { charge_id = c.id, requester = c.requester, amount = c.amount })
  return { charge_id = c.id, status = c.status, balance = balance_of(c.requester) }
end

function M.decline_charge(a)
  local who = ledger.caller()
  need_role(who, "admin", "decline a charge")
  only_fields(a, set_of({ "charge_id", "reason" }))
  local c = load_pending_charge(a)
  c.status = "declined"
  c.reason = need_text(a.reason, "reason", 200)
  c.decided_by = who.id
  c.decided_at = ledger.timestamp()
  store_json("charge/" .. c.id, c)
  ledger.emit("charge_declined", { charge_id = c.id, requester = c.requester, reason = c.reason })
  return { charge_id = c.id, status = c.status }
end

function M.transfer(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "to", "amount" }))
  local to = need_hex64(a.to, "to")
  if to == who.id then fail("to: cannot transfer to your own wallet") end
  local amount = need_money(a.amount, "amount", MAX_BALANCE)
  debit(who.id, amount, "amount")
  credit(to, amount)
  ledger.emit("transferred", { from = who.id, to = to, amount = amount })
  return { from = who.id, to = to, amount = amount, balance = balance_of(who.id) }
end

-- Escrow ------------------------------------------------------------------------------------
-- FUNDED -> HANDED_OVER -> COMPLETED (confirm, auto_confirm) | DISPUTED -> COMPLETED/REFUNDED
-- FUNDED -> CANCELLED

local function need_escrow_status(e, wanted, action)
  if e.status ~= wanted then fail("escrow is %s; %s needs %s", e.status, action, wanted) end
end

-- Money to the seller, car to the buyer.
local function complete_sale(e, via)
  local car = load_car(e.vin)
  local stats = load_stats()
  credit(e.seller, e.price)
  stats.escrow_locked = stats.escrow_locked - e.price
  save_stats(stats)
  e.status = "COMPLETED"
  e.outcome = via
  e.closed_at = ledger.timestamp()
  save_escrow(e)
  car.owner = e.buyer
  car.status = "registered"
  car.price = nil
  car.escrow = nil
  add_event(car, "sold", { escrow_id = e.id, seller = e.seller, buyer = e.buyer, price = e.price, via = via })
  save_car(car)
  return { escrow_id = e.id, status = e.status, vin = car.vin, owner = car.owner }
end

-- Money back to the buyer; the car goes back to the seller as `car_status`.
local function refund(e, new_status, car_status, event_type, data)
  local car = load_car(e.vin)
  local stats = load_stats()
  credit(e.buyer, e.price)
  stats.escrow_locked = stats.escrow_locked - e.price
  save_stats(stats)
  e.status = new_status
  e.closed_at = ledger.timestamp()
  save_escrow(e)
  car.status = car_status
  car.escrow = nil
  if car_status ~= "listed" then car.price = nil end
  add_event(car, event_type, data)
  save_car(car)
  return { escrow_id = e.id, status = e.status, vin = car.vin, car_status = car.status }
end

function M.open_escrow(a)
  local who = ledger.caller()
  need_role(who, "user", "buy a car")
  only_fields(a, set_of({ "vin", "price" }))
  local car = load_car(need_vin(a.vin))
  if car.owner == who.id then fail("you own this car and cannot buy it") end
  if car.status == "in_escrow" then fail("car is already in escrow (escrow %s)", car.escrow) end
  if car.status ~= "listed" then fail("car is not listed for sale") end
  local price = need_money(a.price, "price", MAX_PRICE)
  if price ~= car.price then
    fail("price: must equal the listed price %s, got %s", won(car.price), won(price))
  end
  debit(who.id, price, "price")
  local stats = load_stats()
  stats.escrow_locked = stats.escrow_locked + price
  save_stats(stats)
  local id = ledger.tx_id()
  local e = {
    id = id, vin = car.vin, buyer = who.id, seller = car.owner, price = price,
    status = "FUNDED", opened_at = ledger.timestamp(),
  }
  save_escrow(e)
  car.status = "in_escrow"
  car.escrow = id
  add_event(car, "escrow_opened", { escrow_id = id, buyer = who.id, price = price })
  save_car(car)
  return { escrow_id = id, status = e.status, price = price }
end

function M.hand_over(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "escrow_id" }))
  local e = load_escrow(a)
  if who.id ~= e.seller then fail("only the seller may hand the car over") end
  need_escrow_status(e, "FUNDED", "hand-over")
  local days = auto_confirm_days()
  e.status = "HANDED_OVER"
  e.handed_over_at = ledger.timestamp()
  e.deadline = e.handed_over_at + days * DAY_MS
  save_escrow(e)
  local car = load_car(e.vin)
  add_event(car, "handed_over", { escrow_id = e.id, deadline = e.deadline })
  save_car(car)
  return { escrow_id = e.id, status = e.status, deadline = e.deadline }
end

function M.confirm(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "escrow_id" }))
  local e = load_escrow(a)
  if who.id ~= e.buyer then fail("only the buyer may confirm the purchase") end
  need_escrow_status(e, "HANDED_OVER", "confirm")
  return complete_sale(e, "confirm")
end

function M.auto_confirm(a)
  only_fields(a, set_of({ "escrow_id" }))
  local e = load_escrow(a)
  need_escrow_status(e, "HANDED_OVER", "auto_confirm")
  if ledger.timestamp() < e.deadline then
    fail("escrow: the confirmation deadline has not passed (it is %d, %d ms from now)",
         e.deadline, e.deadline - ledger.timestamp())
  end
  return complete_sale(e, "auto_confirm")
end

function M.dispute(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "escrow_id", "reason" }))
  local e = load_escrow(a)
  if who.id ~= e.buyer then fail("only the buyer may dispute") end
  need_escrow_status(e, "HANDED_OVER", "dispute")
  if ledger.timestamp() >= e.deadline then
    fail("escrow: the dispute window closed at %d (the purchase can only be confirmed now)", e.deadline)
  end
  local reason = need_text(a.reason, "reason", 1000, true)
  e.status = "DISPUTED"
  e.dispute_reason = reason
  e.disputed_at = ledger.timestamp()
  save_escrow(e)
  local car = load_car(e.vin)
  add_event(car, "disputed", { escrow_id = e.id, reason = reason })
  save_car(car)
  return { escrow_id = e.id, status = e.status }
end

function M.resolve(a)
  local who = ledger.caller()
  need_role(who, "admin", "resolve a dispute")
  only_fields(a, set_of({ "escrow_id", "outcome", "note" }))
  local e = load_escrow(a)
  need_escrow_status(e, "DISPUTED", "resolve")
  local outcome = need_enum(a.outcome, "outcome", set_of({ "refund", "release" }), { "refund", "release" })
  local note = opt_text(a.note, "note", 1000, true)
  e.resolved_by = who.id
  e.resolution_note = note
  if outcome == "release" then return complete_sale(e, "resolve") end
  return refund(e, "REFUNDED", "registered", "refunded", { escrow_id = e.id, note = note })
end

function M.cancel(a)
  local who = ledger.caller()
  only_fields(a, set_of({ "escrow_id" }))
  local e = load_escrow(a)
  if who.id ~= e.buyer and who.id ~= e.seller then fail("only the buyer or the seller may cancel") end
  if e.status == "HANDED_OVER" then
    fail("escrow is HANDED_OVER: cancel is only possible before hand-over (the buyer may dispute instead)")
  end
  need_escrow_status(e, "FUNDED", "cancel")
  local by = who.id == e.buyer and "buyer" or "seller"
  e.cancelled_by = by
  return refund(e, "CANCELLED", "listed", "escrow_cancelled", { escrow_id = e.id, by = by })
end

-- Flags and configuration -------------------------------------------------------------------

function M.flag_fraud(a)
  local who = ledger.caller()
  need_role(who, "admin", "flag fraud")
  only_fields(a, set_of({ "vin", "report_id", "reason" }))
  local car = load_car(need_vin(a.vin))
  local report = need_text(a.report_id, "report_id", 64)
  if report:find("[^%w_%-]") then fail("report_id: only letters, digits, '_' and '-'") end
  local reason = need_text(a.reason, "reason", 1000, true)
  local key = "report/" .. report
  if ledger.get(key) ~= nil then fail("report_id: report %s was already recorded", report) end
  store_json(key, { vin = car.vin, tx_id = ledger.tx_id() })
  local delisted = car.status == "listed"
  if delisted then
    car.status = "registered"
    car.price = nil
  end
  add_event(car, "flagged_fraud", { report_id = report, reason = reason, delisted = delisted })
  save_car(car)
  return { vin = car.vin, status = car.status, summary = car.summary }
end

-- An administrator ends a listing after reports against it were confirmed (the service's
-- community rules: three confirmed reports remove a listing). Unlike flag_fraud it says
-- nothing about the car itself: the car goes back to "registered" and its owner may list
-- it again once the problem is fixed.
function M.take_down(a)
  local who = ledger.caller()
  need_role(who, "admin", "take a listing down")
  only_fields(a, set_of({ "vin", "reason" }))
  local car = load_car(need_vin(a.vin))
  local reason = need_text(a.reason, "reason", 1000, true)
  need_not_in_escrow(car)
  if car.status ~= "listed" then fail("car is not listed") end
  local price = car.price
  car.status = "registered"
  car.price = nil
  add_event(car, "taken_down", { reason = reason, price = price })
  save_car(car)
  return { vin = car.vin, status = car.status }
end

function M.set_config(a)
  local who = ledger.caller()
  need_role(who, "admin", "change the configuration")
  only_fields(a, set_of({ "auto_confirm_days" }))
  local cfg = load_json("config") or {}
  cfg.auto_confirm_days = need_int(a.auto_confirm_days, "auto_confirm_days", 1, MAX_AUTO_CONFIRM_DAYS)
  store_json("config", cfg)
  return cfg
end

return M
