/* Rounds: the round's map (areas, proposals, click to place a new proposal), the points
   counter on the ballot, and the results map. User text goes in via textContent only. */
(function () {
  "use strict";

  const AREA_STYLE = { color: "#075955", weight: 2, fillColor: "#0b7a75", fillOpacity: 0.08 };

  function label(text, extra) {
    // A tooltip's content as a DOM node, so proposal titles are never read as HTML.
    const box = document.createElement("span");
    const strong = document.createElement("strong");
    strong.textContent = text;
    box.append(strong);
    if (extra) {
      box.append(document.createElement("br"), document.createTextNode(extra));
    }
    return box;
  }

  function baseMap(box) {
    const map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution })
      .addTo(map);
    const areas = L.geoJSON(JSON.parse(box.dataset.areas), { style: AREA_STYLE }).addTo(map);
    areas.eachLayer((layer) => layer.bindTooltip(label(layer.feature.properties.name),
      { sticky: true, direction: "top" }));
    const bounds = areas.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.05));
    else map.setView([54, -2], 6);
    return map;
  }

  function roundMap(box) {
    const map = baseMap(box);
    JSON.parse(box.dataset.proposals).forEach((p) => {
      const marker = L.circleMarker([p.lat, p.lon], {
        radius: 8, color: "#fff", weight: 2, fillOpacity: 1,
        fillColor: p.status === "published" ? "#0b7a75" : "#b7791f",
      }).addTo(map);
      marker.bindTooltip(label(p.title, p.status === "published" ? "" : p.status));
      marker.on("click", () => {
        const item = document.getElementById(`proposal-${p.id}`);
        if (item) {
          item.scrollIntoView({ behavior: "smooth", block: "center" });
          item.classList.add("flash-target");
          setTimeout(() => item.classList.remove("flash-target"), 1500);
        }
      });
    });

    // Placing a new proposal: click the map, or type the coordinates.
    const lon = document.getElementById("p-lon");
    const lat = document.getElementById("p-lat");
    if (!lon || !lat) return;
    let chosen = null;
    function show(latlng) {
      if (chosen) chosen.setLatLng(latlng);
      else {
        chosen = L.marker(latlng, { title: "Your proposal" }).addTo(map);
        chosen.bindTooltip(label("Your proposal goes here"));
      }
    }
    map.on("click", (event) => {
      lon.value = event.latlng.lng.toFixed(6);
      lat.value = event.latlng.lat.toFixed(6);
      show(event.latlng);
    });
    function typed() {
      const x = parseFloat(lon.value);
      const y = parseFloat(lat.value);
      if (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90) {
        show(L.latLng(y, x));
      }
    }
    lon.addEventListener("change", typed);
    lat.addEventListener("change", typed);
    typed();
  }

  function resultsMap(box) {
    const map = baseMap(box);
    JSON.parse(box.dataset.results).forEach((p) => {
      L.circleMarker([p.lat, p.lon], {
        radius: 6 + 14 * p.share, color: "#fff", weight: 2, fillColor: "#0b7a75",
        fillOpacity: 0.85,
      }).addTo(map).bindTooltip(label(p.title, `place ${p.place} · ${p.total} points`));
    });
  }

  function pointsCounter(form) {
    const budget = parseInt(form.dataset.budget, 10);
    const line = document.getElementById("budget-line");
    const inputs = Array.from(form.querySelectorAll(".points-input"));
    function update() {
      const spent = inputs.reduce((sum, input) => {
        const value = parseInt(input.value, 10);
        return sum + (Number.isFinite(value) && value > 0 ? value : 0);
      }, 0);
      const over = spent > budget;
      line.classList.toggle("over", over);
      line.textContent = over
        ? `${spent} points is more than your budget of ${budget}: take ${spent - budget} off.`
        : `You have given ${spent} of your ${budget} points; ${budget - spent} left.`;
    }
    inputs.forEach((input) => input.addEventListener("input", update));
    update();
  }

  const roundBox = document.getElementById("round-map");
  if (roundBox) roundMap(roundBox);
  const resultsBox = document.getElementById("results-map");
  if (resultsBox) resultsMap(resultsBox);
  const ballot = document.getElementById("ballot-form");
  if (ballot && ballot.dataset.mode === "points") pointsCounter(ballot);
})();
