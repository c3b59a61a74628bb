/* An asset's page: a small map of where it is, with nearby assets to click when linking;
   search-as-you-type to pick the other end of a link. User text goes in via textContent. */
(function () {
  "use strict";

  const box = document.getElementById("asset-map");
  const feature = JSON.parse(box.dataset.feature);
  const map = L.map(box);
  L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution })
    .addTo(map);
  const shape = L.geoJSON(feature, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: 9, color: "#fff", weight: 2, fillColor: "#0b7a75", fillOpacity: 1,
    }),
    style: { color: "#0b7a75", weight: 2 },
  }).addTo(map);
  const bounds = shape.getBounds();
  map.fitBounds(bounds.pad(0.5), { maxZoom: 17 });

  const hidden = document.getElementById("to-asset-id");
  const chosen = document.getElementById("link-chosen");
  const search = document.getElementById("link-search");
  const results = document.getElementById("link-results");

  function choose(id, name) {
    if (!hidden) return;
    hidden.value = String(id);
    chosen.textContent = `Chosen: ${name}`;
    results.replaceChildren();
  }

  async function fetchAssets(params) {
    const response = await fetch(`/api/v1/assets?${new URLSearchParams(params)}`,
      { headers: { Accept: "application/json" } });
    if (!response.ok) return [];
    const data = await response.json();
    return data.features.filter((f) => f.properties.id !== feature.properties.id);
  }

  // Nearby assets on the small map: click one to pick it as the other end of a link.
  const nearby = L.layerGroup().addTo(map);
  async function loadNearby() {
    const b = map.getBounds();
    const found = await fetchAssets({
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(","),
      limit: "200",
    });
    nearby.clearLayers();
    found.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius: 6, color: "#fff", weight: 1, fillColor: "#52606d", fillOpacity: 0.9,
      }).bindTooltip(f.properties.name);
      marker.on("click", () => choose(f.properties.id, f.properties.name));
      nearby.addLayer(marker);
    });
  }
  map.on("moveend", loadNearby);
  loadNearby();

  if (search) {
    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = search.value.trim();
        results.replaceChildren();
        if (q.length < 2) return;
        const found = await fetchAssets({ q, limit: "10" });
        found.forEach((f) => {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = `${f.properties.name} (${f.properties.category_label})`;
          button.addEventListener("click", () => choose(f.properties.id, f.properties.name));
          const item = document.createElement("li");
          item.append(button);
          results.append(item);
        });
      }, 200);
    });
  }
})();
