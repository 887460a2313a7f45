// /beheer/meldingen: the list's selection on a Leaflet map (staff only, exact places).
// Settings come from data-* attributes (the Content-Security-Policy forbids inline scripts).
import { kaartStart, kleur } from './huisstijl.js';
const element = document.getElementById('beheerkaart');
const L = window.L;

const kleuren = {
  gemeld: '#b3261e', 'in-behandeling': '#8a5a00', doorgezet: '#1f4e8c', heropend: '#b3261e',
  afgehandeld: '#2e6b30', afgewezen: '#555555', ingetrokken: '#555555',
};

async function start() {
  if (!element || !L) return;
  const d = element.dataset;
  const kaart = L.map(element, { preferCanvas: true, maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.setView(kaartStart().midden, kaartStart().zoom);
  if (d.tegelUrl) {
    L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  }
  try {
    const [grenzen, meldingen] = await Promise.all([
      fetch('/kaart/grenzen.geojson?niveau=buurt').then((r) => (r.ok ? r.json() : null)),
      fetch(d.geojson, { headers: { Accept: 'application/geo+json' } }).then((r) => {
        if (!r.ok) throw new Error(`meldingen: HTTP ${r.status}`);
        return r.json();
      }),
    ]);
    if (grenzen) {
      const buurten = L.geoJSON(grenzen, { interactive: false, style: { color: kleur('primary'), weight: 1, dashArray: '4 4', fill: false } }).addTo(kaart);
      kaart.fitBounds(buurten.getBounds(), { padding: [8, 8] });
    }
    const laag = L.geoJSON(meldingen, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
        radius: 6, weight: 1, color: '#ffffff', fillOpacity: 0.85, fillColor: kleuren[feature.properties.status] ?? kleur('primary'),
      }),
      onEachFeature: (feature, marker) => {
        const p = feature.properties;
        const link = document.createElement('a');
        link.href = `/beheer/meldingen/${p.id}`;
        link.textContent = `${p.volgcode} – ${p.rubriek} (${p.statusnaam})`;
        marker.bindPopup(link);
      },
    }).addTo(kaart);
    element.dataset.aantal = String(meldingen.features.length);
    if (!grenzen && meldingen.features.length > 0) kaart.fitBounds(laag.getBounds(), { padding: [8, 8] });
  } catch (fout) {
    console.error(fout);
  }
  element.dataset.klaar = 'true';
}

start();
