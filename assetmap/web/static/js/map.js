/* The resident map: assets by viewport (clustered), services, areas, a list view that mirrors
   the map, and the add-an-asset form. User text only ever goes in via textContent. */
(function () {
  "use strict";

  const layout = document.querySelector(".map-layout");
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const signedIn = layout.dataset.signedIn === "true";
  const colours = {
    community_space: "#0b7a75", faith: "#7c5cbf", sport_leisure: "#2f80ed",
    arts_culture: "#d6457a", children_youth: "#f2994a", older_people: "#9b6a3c",
    health_wellbeing: "#27ae60", food: "#c0392b", learning: "#1d4ed8", environment: "#4d8b31",
    advice_support: "#6b7280", mutual_aid: "#b45309", local_business: "#475569",
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    });
    children.forEach((c) => c && node.append(c));
    return node;
  }

  async function api(url, options) {
    const opts = Object.assign({ headers: { Accept: "application/json" } }, options || {});
    if (opts.body) {
      opts.headers["Content-Type"] = "application/json";
      if (csrf) opts.headers["X-CSRFToken"] = csrf.content;
    }
    const response = await fetch(url, opts);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { ok: response.ok, status: response.status, data: data || {} };
  }

  const map = L.map("map", { zoomControl: true });
  L.tileLayer(layout.dataset.tileUrl, {
    maxZoom: 19, attribution: layout.dataset.tileAttribution,
  }).addTo(map);
  map.setView([54.0, -2.5], 6);

  const assetsLayer = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  const servicesLayer = L.layerGroup();
  const areasLayer = L.geoJSON(null, {
    style: { color: "#075955", weight: 1.5, fillOpacity: 0.04, dashArray: "4 3" },
    onEachFeature: (feature, layer) => {
      const p = feature.properties;
      const parts = [p.name];
      if (p.population != null) parts.push(`${p.population.toLocaleString()} residents`);
      layer.bindTooltip(parts.join(" · "), { sticky: true });
      layer.on("click", (event) => {
        if (picking) return;
        L.popup().setLatLng(event.latlng).setContent(areaPopup(p)).openOn(map);
      });
    },
  });
  // The layer control toggles this group; inside it sit either the clustered markers or, when
  // zoomed out, the overview tiles.
  const community = L.layerGroup([assetsLayer]).addTo(map);
  areasLayer.addTo(map);
  L.control.layers(null, {
    "Community assets": community, "Public services": servicesLayer,
    "Neighbourhoods": areasLayer,
  }, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  const markers = new Map();

  // Skills are personal: the map only ever shows how many people offer each kind of skill
  // in an area, and the server withholds any count below its threshold.
  let skills = null;
  function areaPopup(p) {
    const box = el("div", { class: "popup" }, el("h3", { text: p.name }));
    if (p.population != null) {
      box.append(el("p", { class: "meta", text: `${p.population.toLocaleString()} residents` }));
    }
    const area = skills && skills.areas.find((a) => a.id === p.id);
    if (area) {
      const shown = area.categories.filter((c) => c.count !== null && c.count > 0);
      box.append(el("p", { text: "People offering skills:" }));
      if (shown.length) {
        const list = el("ul", { class: "skill-count" });
        shown.forEach((c) => list.append(el("li", { text: `${c.label}: ${c.count}` })));
        box.append(list);
      } else {
        box.append(el("p", { class: "meta",
          text: `fewer than ${skills.threshold} in every kind of skill` }));
      }
    }
    return box;
  }

  function popupFor(p) {
    const box = el("div", { class: "popup" });
    box.append(el("h3", { text: p.name }));
    const meta = el("p", { class: "meta", text: `${p.category_label} · ${p.kind}` });
    if (p.status !== "published") meta.append(el("span", { class: "badge", text: p.status }));
    box.append(meta);
    if (p.description) box.append(el("p", { text: p.description.slice(0, 240) }));
    if (p.opening_times) box.append(el("p", { text: `Times: ${p.opening_times}` }));
    box.append(el("p", {}, el("a", { href: `/assets/${p.id}`, text: "Details, links and history" })));
    return box;
  }

  // Markers are kept between reloads and only added or removed as the view changes, so an
  // open popup survives the pan that opening it causes.
  function markerFor(p, lat, lon) {
    const marker = L.circleMarker([lat, lon], {
      radius: 7, weight: 2, color: "#fff", fillOpacity: 0.9,
      fillColor: colours[p.category] || "#0b7a75",
      dashArray: p.status === "published" ? null : "3 2",
    }).bindPopup(() => popupFor(p));
    marker.assetId = p.id;
    return marker;
  }

  function renderAssets(collection) {
    const list = document.getElementById("asset-list");
    list.replaceChildren();
    const seen = new Set();
    collection.features.forEach((f) => {
      const p = f.properties;
      const key = `${p.id}:${p.version}:${p.status}`;
      seen.add(key);
      let marker = markers.get(key);
      if (!marker) {
        const [lon, lat] = f.geometry.coordinates;
        marker = markerFor(p, lat, lon);
        markers.set(key, marker);
        assetsLayer.addLayer(marker);
      }
      const link = el("a", { href: `/assets/${p.id}`, text: p.name });
      link.addEventListener("click", (event) => {
        if (event.metaKey || event.ctrlKey) return;
        event.preventDefault();
        assetsLayer.zoomToShowLayer(marker, () => marker.openPopup());
      });
      const item = el("li", { "data-asset-id": String(p.id) }, link,
        el("span", { class: "meta", text: `${p.category_label} · ${p.kind}` }));
      if (p.status !== "published") item.append(el("span", { class: "badge", text: p.status }));
      list.append(item);
    });
    [...markers.keys()].forEach((key) => {
      if (!seen.has(key)) {
        assetsLayer.removeLayer(markers.get(key));
        markers.delete(key);
      }
    });
    const count = document.getElementById("list-count");
    count.textContent = collection.truncated ? `(first ${collection.features.length})`
      : `(${collection.features.length})`;
  }

  function filters() {
    const form = document.getElementById("filters");
    return {
      q: form.q.value.trim(), category: form.category.value, kind: form.kind.value,
    };
  }

  // Zoomed out over a whole city, the assets come as vector tiles of counts per grid cell
  // (/tiles/assets/{z}/{x}/{y}.mvt); zoomed in, as features from the viewport API.
  const TILES_BELOW_ZOOM = 12;
  const overview = L.vectorGrid.protobuf("/tiles/assets/{z}/{x}/{y}.mvt", {
    interactive: false,
    maxNativeZoom: 19,
    vectorTileLayerStyles: {
      assets: (properties) => {
        const count = properties.count || 1;
        return {
          radius: Math.min(22, 4 + Math.sqrt(count) * 1.6), fill: true, fillColor: "#0b7a75",
          fillOpacity: 0.55, color: "#fff", weight: 1,
        };
      },
    },
  });

  function zoomedOut() { return map.getZoom() < TILES_BELOW_ZOOM; }

  function showOverview() {
    if (community.hasLayer(assetsLayer)) community.removeLayer(assetsLayer);
    if (!community.hasLayer(overview)) community.addLayer(overview);
    const list = document.getElementById("asset-list");
    list.replaceChildren(el("li", { class: "hint",
      text: "Zoom in to list the assets here; the circles show how many there are." }));
    document.getElementById("list-count").textContent = "";
  }

  let pending = null;
  async function loadAssets() {
    if (zoomedOut() && !filters().q && !filters().category && !filters().kind) {
      showOverview();
      return;
    }
    if (community.hasLayer(overview)) community.removeLayer(overview);
    if (!community.hasLayer(assetsLayer)) community.addLayer(assetsLayer);
    const b = map.getBounds();
    const params = new URLSearchParams({
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map((v) => Math.max(-180, Math.min(180, v)).toFixed(6)).join(","),
      limit: "500",
    });
    const f = filters();
    Object.entries(f).forEach(([k, v]) => v && params.set(k, v));
    const ticket = {};
    pending = ticket;
    const result = await api(`/api/v1/assets?${params}`);
    if (pending !== ticket || !result.ok) return;
    renderAssets(result.data);
  }

  async function loadServices() {
    const result = await api("/api/v1/services");
    if (!result.ok) return;
    result.data.features.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      const box = el("div", { class: "popup" }, el("h3", { text: p.name }),
        el("p", { class: "meta", text: `Public service · ${p.service_label}` }));
      L.marker([lat, lon], {
        icon: L.divIcon({ className: "service-icon", html: "", iconSize: [14, 14] }),
        title: p.name, alt: p.name,
      }).bindPopup(box).addTo(servicesLayer);
    });
  }

  let areaBounds = null;
  async function loadAreas() {
    const result = await api("/api/v1/areas");
    if (!result.ok) return;
    areasLayer.addData(result.data);
    if (result.data.features.length) {
      areaBounds = areasLayer.getBounds();
      map.fitBounds(areaBounds);
    }
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  const reload = debounce(loadAssets, 200);
  map.on("moveend", reload);
  const filtersForm = document.getElementById("filters");
  filtersForm.addEventListener("input", debounce(() => {
    const q = filtersForm.q.value.trim().toLowerCase();
    // A neighbourhood's name zooms there; anything else filters the assets.
    let matched = null;
    areasLayer.eachLayer((layer) => {
      if (q && layer.feature.properties.name.toLowerCase() === q) matched = layer;
    });
    if (matched) { map.fitBounds(matched.getBounds()); return; }
    loadAssets();
  }, 250));
  filtersForm.addEventListener("submit", (event) => { event.preventDefault(); loadAssets(); });

  /* Adding an asset: click the map, fill the form, see likely duplicates before saving. */
  const addButton = document.getElementById("add-asset");
  const form = document.getElementById("asset-form");
  const hint = document.getElementById("add-hint");
  const done = document.getElementById("form-done");
  let picking = false;
  let draft = null;

  function showErrors(errors) {
    form.querySelectorAll(".field-error").forEach((p) => { p.textContent = ""; });
    Object.entries(errors).forEach(([field, message]) => {
      const slot = form.querySelector(`.field-error[data-for="${field}"]`)
        || form.querySelector('.field-error[data-for="form"]');
      slot.textContent = message;
    });
  }

  if (addButton) {
    addButton.addEventListener("click", () => {
      picking = true;
      hint.hidden = false;
      done.hidden = true;
      map.getContainer().style.cursor = "crosshair";
    });
  }
  function pickHere(event) {
    if (!picking) return;
    picking = false;
    hint.hidden = true;
    map.getContainer().style.cursor = "";
    const { lat, lng } = event.latlng;
    form.lon.value = lng.toFixed(6);
    form.lat.value = lat.toFixed(6);
    document.getElementById("where").textContent = `${lat.toFixed(5)}, ${lng.toFixed(5)}`;
    if (draft) draft.remove();
    draft = L.marker([lat, lng], { title: "New asset" }).addTo(map);
    form.hidden = false;
    form.name.focus();
  }
  map.on("click", pickHere);
  // While choosing a spot, a click on a cluster or a marker picks that spot too.
  assetsLayer.on("click clusterclick", (event) => {
    if (!picking) return;
    if (event.originalEvent) L.DomEvent.stop(event.originalEvent);
    pickHere(event);
  });
  document.getElementById("cancel-add").addEventListener("click", () => {
    form.hidden = true;
    form.reset();
    showErrors({});
    if (draft) { draft.remove(); draft = null; }
  });

  const checkDuplicates = debounce(async () => {
    const box = document.getElementById("duplicates");
    if (!form.category.value || form.name.value.trim().length < 3 || !form.lon.value) {
      box.hidden = true;
      return;
    }
    const params = new URLSearchParams({
      category: form.category.value, name: form.name.value.trim(),
      lon: form.lon.value, lat: form.lat.value,
    });
    const result = await api(`/api/v1/assets/duplicates?${params}`);
    const found = result.ok ? result.data.duplicates : [];
    box.replaceChildren();
    if (!found.length) { box.hidden = true; return; }
    box.append(el("strong", { text: "Is it already on the map? " }),
      el("span", { text: "Similar nearby: " }));
    found.forEach((d, i) => {
      if (i) box.append(", ");
      box.append(el("a", { href: `/assets/${d.id}`, target: "_blank", text: d.name }),
        ` (${d.distance_m} m)`);
    });
    box.hidden = false;
  }, 300);
  form.addEventListener("input", (event) => {
    if (["name", "category"].includes(event.target.name)) checkDuplicates();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = {};
    if (!form.category.value) errors.category = "Choose a category.";
    if (!form.name.value.trim()) errors.name = "Give it a name.";
    showErrors(errors);
    if (Object.keys(errors).length) return;
    const payload = {};
    ["kind", "category", "name", "description", "contact", "website", "opening_times",
      "accessibility", "visibility"].forEach((k) => { payload[k] = form[k].value; });
    payload.lon = parseFloat(form.lon.value);
    payload.lat = parseFloat(form.lat.value);
    const result = await api("/api/v1/assets", { method: "POST", body: JSON.stringify(payload) });
    if (!result.ok) {
      const field = (result.data.field || "form").replace(/^geometry$/, "form");
      showErrors({ [field]: result.data.error || `Could not save (${result.status}).` });
      return;
    }
    const saved = result.data.properties;
    form.hidden = true;
    form.reset();
    if (draft) { draft.remove(); draft = null; }
    done.textContent = saved.status === "pending"
      ? `Thank you — “${saved.name}” is waiting for a community worker to approve it. You can see it on your map meanwhile.`
      : `“${saved.name}” is on the map.`;
    done.hidden = false;
    loadAssets();
  });

  loadAreas().then(() => { if (!areaBounds) loadAssets(); });
  api("/api/v1/skills/summary").then((result) => { if (result.ok) skills = result.data; });
  loadServices();
  if (!signedIn && addButton) addButton.hidden = true;
})();
