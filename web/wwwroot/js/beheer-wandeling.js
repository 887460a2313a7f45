// /beheer/wandelingen/{id}: place the meeting point and draw the route by clicking the map. The
// form works without this script (meeting point by address or coordinates, no route); the map
// writes the same fields: Invoer.Lat/Lon and Invoer.Route as JSON [[lat, lon], ...].
import { grenzenBron, kaartStart, kleur } from './huisstijl.js';
const L = window.L;
const element = document.getElementById('wandelingkaart');

function getal(tekst) {
  const n = Number.parseFloat(tekst);
  return Number.isFinite(n) ? n : null;
}

function rond(n) {
  return Math.round(n * 1e7) / 1e7;
}

function start() {
  if (!element || !L) return;
  const d = element.dataset;
  const lat = document.getElementById('lat');
  const lon = document.getElementById('lon');
  const routeVeld = document.getElementById('route');
  const status = document.getElementById('route-status');
  document.getElementById('kaartmodus').hidden = false;
  document.getElementById('routeknoppen').hidden = false;

  const kaart = L.map(element, { maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  kaart.setView(kaartStart().midden, kaartStart().zoom + 1);
  if (d.tegelUrl) L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  fetch('/kaart/grenzen.geojson?niveau=wijk').then((r) => (r.ok ? r.json() : null)).then((wijken) => {
    if (wijken) L.geoJSON(wijken, { interactive: false, style: { color: kleur('primary-dark'), weight: 2, fill: false } }).addTo(kaart);
  }).catch(() => {});

  let punten = [];
  try {
    punten = routeVeld.value ? JSON.parse(routeVeld.value) : [];
  } catch {
    punten = [];
  }
  const lijn = L.polyline(punten, { color: kleur('primary'), weight: 5, opacity: 0.85 }).addTo(kaart);
  const hoekpunten = L.layerGroup().addTo(kaart);
  let startMarker = null;

  function toonRoute() {
    lijn.setLatLngs(punten);
    hoekpunten.clearLayers();
    punten.forEach((p) => L.circleMarker(p, { radius: 4, color: kleur('primary'), fillOpacity: 1, interactive: false }).addTo(hoekpunten));
    routeVeld.value = punten.length ? JSON.stringify(punten) : '';
    status.textContent = (status.dataset.tekst || '{0}').replace('{0}', String(punten.length));
    element.dataset.routepunten = String(punten.length);
  }

  function toonStart() {
    const la = getal(lat.value);
    const lo = getal(lon.value);
    if (la === null || lo === null) return;
    if (!startMarker) {
      startMarker = L.marker([la, lo], { title: d.startlabel, alt: d.startlabel, keyboard: false }).addTo(kaart);
    } else {
      startMarker.setLatLng([la, lo]);
    }
  }

  kaart.on('click', (e) => {
    const p = [rond(e.latlng.lat), rond(e.latlng.lng)];
    if (document.getElementById('modus-start').checked) {
      lat.value = String(p[0]);
      lon.value = String(p[1]);
      toonStart();
      // After the meeting point, the next clicks draw the route.
      document.getElementById('modus-route').checked = true;
    } else {
      punten.push(p);
      toonRoute();
    }
  });
  document.getElementById('route-terug').addEventListener('click', () => {
    punten.pop();
    toonRoute();
  });
  document.getElementById('route-wissen').addEventListener('click', () => {
    punten = [];
    toonRoute();
  });
  lat.addEventListener('change', toonStart);
  lon.addEventListener('change', toonStart);

  // Open reports of the wijk (and those attached) from the table below the form.
  document.querySelectorAll('#plekken tbody tr[data-lat]').forEach((rij) => {
    const gekoppeld = rij.dataset.gekoppeld === 'true';
    L.circleMarker([Number(rij.dataset.lat), Number(rij.dataset.lon)], {
      radius: gekoppeld ? 8 : 5, weight: 1, color: '#ffffff', fillOpacity: 0.9, fillColor: gekoppeld ? '#8a5a00' : '#1f4e8c',
    }).bindTooltip(rij.dataset.label).addTo(kaart);
  });

  // The wijk's current hotspots (hot grid cells), drawn under everything else.
  document.querySelectorAll('#hotspots li[data-ring]').forEach((li) => {
    L.polygon(JSON.parse(li.dataset.ring), { color: '#b3261e', weight: 1, fillOpacity: 0.2, interactive: false }).addTo(kaart).bringToBack();
  });

  toonStart();
  toonRoute();
  const grenzen = L.latLngBounds(punten);
  if (startMarker) grenzen.extend(startMarker.getLatLng());
  if (grenzen.isValid()) kaart.fitBounds(grenzen, { padding: [30, 30], maxZoom: 16 });
  element.dataset.klaar = 'true';
}

start();
