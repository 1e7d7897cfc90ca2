-- POST /api/catalog/products with a SKU no other request of the run uses (run id + thread + counter).
local n, prefix = 0, "B" .. (os.getenv("BUDGET_RUN") or "0") .. "-" .. tostring(math.random(1, 999999))
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BUDGET_TOKEN") }

function request()
  n = n + 1
  local body = string.format('{"sku":"%s-%d","name":"Budget product %d","description":"A product of the per-request budget run.",' ..
    '"price":{"amount":%d.%02d,"currency":"EUR"}}', prefix, n, n, 10 + n % 990, n % 100)
  return wrk.format("POST", "/api/catalog/products", headers, body)
end
