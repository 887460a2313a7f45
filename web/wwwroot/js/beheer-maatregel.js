// /beheer/maatregelen/{id}: draw a measure's place by clicking the map: a point, a line or an area
// (the radio buttons). The form works without this script: the textarea Invoer.Punten holds the
// same "lat, lon" lines the map writes, one point per line.
import { grenzenBron, kaartStart, kleur } from './huisstijl.js';
const L = window.L;
const element = document.getElementById('maatregelkaart');

function rond(n) {
  return Math.round(n * 1e7) / 1e7;
}

function start() {
  if (!element || !L) return;
  const d = element.dataset;
  const veld = document.getElementById('punten');
  element.hidden = false;
  document.getElementById('plekknoppen').hidden = false;

  const kaart = L.map(element, { maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  kaart.setView(kaartStart().midden, kaartStart().zoom + 1);
  if (d.tegelUrl) L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  fetch('/kaart/grenzen.geojson?niveau=wijk').then((r) => (r.ok ? r.json() : null)).then((wijken) => {
    if (wijken) L.geoJSON(wijken, { interactive: false, style: { color: kleur('primary-dark'), weight: 2, fill: false } }).addTo(kaart);
  }).catch(() => {});

  const laag = L.layerGroup().addTo(kaart);
  const soort = () => document.querySelector('input[name="Invoer.Soort"]:checked')?.value ?? 'punt';

  function lees() {
    return veld.value.split('\n').map((r) => r.trim()).filter((r) => r.length > 0).map((r) => {
      const m = /^(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)$/.exec(r);
      return m ? [Number(m[1]), Number(m[2])] : null;
    }).filter((p) => p !== null);
  }

  function schrijf(punten) {
    veld.value = punten.map((p) => `${p[0]}, ${p[1]}`).join('\n');
    toon();
  }

  function toon() {
    const punten = lees();
    laag.clearLayers();
    const stijl = { color: kleur('primary'), weight: 4, opacity: 0.9 };
    if (soort() === 'lijn' && punten.length > 1) L.polyline(punten, stijl).addTo(laag);
    if (soort() === 'vlak' && punten.length > 2) L.polygon(punten, { ...stijl, fillOpacity: 0.2 }).addTo(laag);
    punten.forEach((p) => L.circleMarker(p, { radius: 5, color: kleur('primary'), fillOpacity: 1, interactive: false }).addTo(laag));
    element.dataset.punten = String(punten.length);
  }

  kaart.on('click', (e) => {
    const p = [rond(e.latlng.lat), rond(e.latlng.lng)];
    schrijf(soort() === 'punt' ? [p] : [...lees(), p]);
  });
  document.getElementById('plek-terug').addEventListener('click', () => schrijf(lees().slice(0, -1)));
  document.getElementById('plek-wissen').addEventListener('click', () => schrijf([]));
  veld.addEventListener('change', toon);
  document.querySelectorAll('input[name="Invoer.Soort"]').forEach((r) => r.addEventListener('change', () => {
    if (soort() === 'punt' && lees().length > 1) schrijf(lees().slice(-1)); else toon();
  }));

  toon();
  const grenzen = L.latLngBounds(lees());
  if (grenzen.isValid()) kaart.fitBounds(grenzen, { padding: [30, 30], maxZoom: 16 });
  element.dataset.klaar = 'true';
}

start();
