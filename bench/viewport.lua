-- Random ~1 km viewports over the generated city, as a panning map would ask for them.
math.randomseed(42)
request = function()
  local lon = -2.35 + math.random() * 0.5
  local lat = 53.35 + math.random() * 0.3
  local bbox = string.format("%.5f,%.5f,%.5f,%.5f", lon, lat, lon + 0.015, lat + 0.009)
  return wrk.format("GET", "/api/v1/assets?limit=200&bbox=" .. bbox)
end
