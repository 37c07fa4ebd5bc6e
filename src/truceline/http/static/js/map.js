/* Maps of truceline, drawn with Leaflet and no tile server.
 * #map (dashboard): boundary, provinces, and the incidents in the current view,
 * reloaded when the view or the filter form changes; a wide view of many
 * incidents arrives as clusters counted by the server (data-mode="clusters").
 * #mini-map (incident page): the place and its uncertainty circle.
 */
(function () {
  "use strict";

  var REGION_CENTER = [32.8, 68.8];

  function baseMap(el, zoom, center) {
    var map = L.map(el, { zoomSnap: 0.5, minZoom: 4, maxZoom: 13 })
      .setView(center, zoom);
    // Reference layers arrive after the incidents; their own panes keep them underneath.
    map.createPane("reference").style.zIndex = 350;
    map.createPane("boundary").style.zIndex = 390;
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth (boundary de facto)");
    map.attributionControl.addAttribution("geoBoundaries (Pakistan districts, public domain)");
    return map;
  }

  /* Digits and separators of the page's language, as the server writes them. */
  function localNumber(n) {
    try { return new Intl.NumberFormat(document.documentElement.lang).format(n); }
    catch (e) { return String(n); }
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(url + ": " + r.status); } return r.json(); });
  }

  /* Pakistan's districts (thin) and provinces (thicker), under the incidents. */
  function addPakistanLayer(map) {
    return getJSON("/api/map/pakistan").then(function (data) {
      L.geoJSON(data, {
        pane: "reference",
        style: function (f) {
          return f.properties.kind === "province"
            ? { color: "#64748b", weight: 1.4, fill: false, className: "pk-province" }
            : { color: "#94a3b8", weight: 0.6, fillColor: "#f8fafc", fillOpacity: 0.5, className: "pk-district" };
        },
        onEachFeature: function (f, layer) {
          var name = f.properties.kind === "district" ? f.properties.name + " · " + f.properties.admin1 : f.properties.name;
          layer.bindTooltip(name, { sticky: true });
        }
      }).addTo(map);
    });
  }

  function addReferenceLayers(map, el) {
    var boundaryLabel = el.dataset.boundaryLabel;
    addPakistanLayer(map).catch(function () { /* the map works without it */ });
    var provinces = getJSON("/api/map/provinces").then(function (data) {
      L.geoJSON(data, {
        pane: "reference",
        style: { color: "#94a3b8", weight: 1, fillColor: "#f1f5f9", fillOpacity: 0.6, className: "province" },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name, { sticky: true }); }
      }).addTo(map);
    });
    var boundary = getJSON("/api/map/boundary").then(function (data) {
      var countries = data.features.filter(function (f) { return f.properties.kind === "country"; });
      var lines = data.features.filter(function (f) { return f.properties.kind === "boundary"; });
      L.geoJSON({ type: "FeatureCollection", features: countries }, {
        pane: "reference",
        style: { color: "#cbd5e1", weight: 0.5, fillColor: "#e2e8f0", fillOpacity: 0.5, className: "country" }, interactive: false
      }).addTo(map).bringToBack();  // under the provinces, in the same pane
      var line = L.geoJSON({ type: "FeatureCollection", features: lines }, {
        pane: "boundary",
        style: { color: "#7f1d1d", weight: 2.5, dashArray: "6 4", className: "boundary-line" }
      }).addTo(map);
      line.bindTooltip(boundaryLabel, { sticky: true });
      boundaryLabelBox(map, el);
      return line;
    });
    return Promise.all([provinces, boundary]);
  }

  var LABEL_KEY = "truceline.map.boundaryLabelHidden";

  function labelHidden() {
    try { return window.localStorage.getItem(LABEL_KEY) === "1"; } catch (e) { return false; }
  }

  function rememberLabel(hidden) {
    try {
      if (hidden) { window.localStorage.setItem(LABEL_KEY, "1"); } else { window.localStorage.removeItem(LABEL_KEY); }
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  /* The boundary's source and status, in a box in the corner of the map that the
     reader can hide (and show again) with a button, by mouse or keyboard; the
     choice is remembered in this browser. The line's own tooltip keeps saying it. */
  function boundaryLabelBox(map, el) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "boundary-label-control");
      var label = L.DomUtil.create("div", "boundary-label", box);
      label.dir = document.documentElement.dir || "ltr";  // the map itself is left to right
      var text = L.DomUtil.create("span", "boundary-label-text", label);
      text.textContent = el.dataset.boundaryLabel;
      var hide = L.DomUtil.create("button", "boundary-label-hide", label);
      hide.type = "button";
      hide.textContent = "×";
      hide.setAttribute("aria-label", el.dataset.hideLabel || "Hide");
      hide.title = el.dataset.hideLabel || "Hide";
      var show = L.DomUtil.create("button", "boundary-label-show", box);
      show.type = "button";
      show.textContent = el.dataset.showLabel || "Boundary";
      show.dir = label.dir;
      function apply(hidden, focus) {
        label.hidden = hidden;
        show.hidden = !hidden;
        if (focus) { (hidden ? show : hide).focus(); }
      }
      hide.addEventListener("click", function () { rememberLabel(true); apply(true, true); });
      show.addEventListener("click", function () { rememberLabel(false); apply(false, true); });
      L.DomEvent.disableClickPropagation(box);
      apply(labelHidden(), false);
      return box;
    };
    control.addTo(map);
  }

  function filterParams(form) {
    var params = new URLSearchParams();
    if (!form) { return params; }
    new FormData(form).forEach(function (value, key) { if (value !== "") { params.set(key, value); } });
    return params;
  }

  function incidentMarker(f, openLabel) {
    var p = f.properties;
    var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    var marker = L.circleMarker(ll, {
      radius: 7, color: p.ring || "#ffffff", weight: p.ring ? 3.5 : 1.5, fillColor: p.colour,
      fillOpacity: 0.9, className: "incident-marker" + (p.finding ? " has-finding" : "")
    });
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.code + (p.title ? ": " + p.title : "");
    var details = document.createElement("div");
    details.textContent = p.occurred_at.slice(0, 10) + " · " + p.event_label + " · " + p.state_label +
      (p.finding_label ? " · " + p.finding_label : "");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = openLabel;
    box.append(title, details, link);
    marker.bindPopup(box);
    return marker;
  }

  function riskColour(p, bounds) {
    for (var i = 0; i < bounds.length; i++) { if (p < bounds[i][0]) { return bounds[i][1]; } }
    return bounds[bounds.length - 1][1];
  }

  // District risk: one disc per district, coloured by the chance of an event (classes from the page).
  function addRiskLayer(map, el) {
    var bounds = el.dataset.riskBounds.split(",").map(function (pair) {
      var parts = pair.split(":");
      return [parseFloat(parts[0]), parts[1]];
    });
    var layer = L.layerGroup();
    L.control.layers(null, (function () { var o = {}; o[el.dataset.riskLabel] = layer; return o; })(),
      { collapsed: false }).addTo(map);
    getJSON(el.dataset.riskUrl).then(function (data) {
      data.features.forEach(function (f) {
        var p = f.properties, ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        L.circleMarker(ll, { radius: 9, color: "#444", weight: 1, fillColor: riskColour(p.p_event, bounds), fillOpacity: 0.85 })
          .bindTooltip(p.name + " · " + el.dataset.riskEventLabel + ": " + Math.round(100 * p.p_event) + "% · " + el.dataset.riskFatalLabel + " " +
            Math.round(100 * (p.p_fatal || 0)) + "%")
          .addTo(layer);
      });
      el.dataset.risk = String(data.features.length);
    }).catch(function (err) { el.dataset.risk = "error: " + err; });
    return layer;
  }

  /* A group of incidents counted by the server (a wide view of a full map): a disc
     with the count; a click zooms in towards it until single incidents show. */
  function clusterMarker(f, map, title) {
    var n = f.properties.count;
    var size = n < 100 ? 30 : (n < 1000 ? 38 : 46);
    var label = document.createElement("span");
    label.textContent = localNumber(n);
    var marker = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      icon: L.divIcon({ className: "incident-cluster", html: label, iconSize: [size, size] }),
      title: title + ": " + localNumber(n), keyboard: true
    });
    marker.on("click", function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom())); });
    return marker;
  }

  function dashboardMap(el) {
    var map = baseMap(el, 6, REGION_CENTER);
    var form = document.querySelector("form.filters");
    var status = document.getElementById("map-status");
    var clusters = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    var groups = L.layerGroup();  // clusters counted by the server
    map.addLayer(clusters);
    map.addLayer(groups);
    var pending = null;

    function load() {
      var params = filterParams(form);
      params.set("bbox", map.getBounds().toBBoxString());
      params.set("zoom", String(map.getZoom()));
      if (el.dataset.view === "public") { params.set("view", "public"); }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(el.dataset.incidentUrl + "?" + params.toString(), { signal: pending.signal, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          clusters.clearLayers();
          groups.clearLayers();
          if (data.clustered) {
            data.features.forEach(function (f) { groups.addLayer(clusterMarker(f, map, el.dataset.countLabel)); });
          } else {
            clusters.addLayers(data.features.map(function (f) { return incidentMarker(f, el.dataset.openLabel); }));
          }
          status.textContent = el.dataset.countLabel + ": " + localNumber(data.total) +
            (data.clustered ? " · " + el.dataset.clusterLabel : "") +
            (data.truncated ? " · " + el.dataset.truncatedLabel : "");
          el.dataset.mode = data.clustered ? "clusters" : "points";
          el.dataset.clusters = String(data.clustered ? data.features.length : 0);
          el.dataset.loaded = String(data.clustered ? 0 : data.features.length);
          el.dataset.zoom = String(map.getZoom());
        })
        .catch(function (err) { if (err.name !== "AbortError") { status.textContent = String(err); } });
    }

    addReferenceLayers(map, el).then(function (layers) {
      map.fitBounds(layers[1].getBounds(), { padding: [12, 12], animate: false });  // the whole line, on any screen
      el.dataset.layers = "ready";
    });
    if (el.dataset.riskUrl) { addRiskLayer(map, el); }
    map.on("moveend", load);
    if (form) {
      form.addEventListener("change", load);
      form.addEventListener("submit", load);  // htmx (or the browser) submits the form itself
    }
    load();
  }

  function miniMap(el) {
    var ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var map = baseMap(el, 8, ll);
    addReferenceLayers(map, el).then(function () { el.dataset.layers = "ready"; });
    L.circle(ll, { radius: parseFloat(el.dataset.radius), color: "#b45309", weight: 1, fillOpacity: 0.15 }).addTo(map);
    L.circleMarker(ll, { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#b45309", fillOpacity: 1 }).addTo(map);
  }

  var dash = document.getElementById("map");
  if (dash) { dashboardMap(dash); }
  var mini = document.getElementById("mini-map");
  if (mini) { miniMap(mini); }
})();
