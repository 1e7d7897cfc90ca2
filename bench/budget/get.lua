-- GET /api/catalog/products/{id}, ids taken in turn from the file named by BUDGET_IDS; bearer token from BUDGET_TOKEN.
local ids, i = {}, 0
for line in io.lines(os.getenv("BUDGET_IDS")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BUDGET_TOKEN") }

function request()
  i = i % #ids + 1
  return wrk.format("GET", "/api/catalog/products/" .. ids[i], headers)
end
