// /wijkwandelingen and /wijkwandelingen/{id}: meeting points and routes on a small map.
import { grenzenBron, kleur } from './huisstijl.js';
const L = window.L;

function basiskaart(element) {
  const kaart = L.map(element, { scrollWheelZoom: false });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  fetch('/kaart/grenzen.geojson?niveau=wijk').then((r) => (r.ok ? r.json() : null)).then((wijken) => {
    if (wijken) L.geoJSON(wijken, { interactive: false, style: { color: kleur('primary-dark'), weight: 2, fill: false } }).addTo(kaart);
  }).catch(() => {});
  return kaart;
}

function lijst() {
  const element = document.getElementById('wandelingenkaart');
  if (!element || !L) return;
  const kaart = basiskaart(element);
  const punten = [];
  document.querySelectorAll('#wandelingenlijst .wandeling').forEach((li) => {
    const lat = Number(li.dataset.lat);
    const lon = Number(li.dataset.lon);
    punten.push([lat, lon]);
    const marker = L.marker([lat, lon], { title: li.dataset.titel, alt: li.dataset.titel }).addTo(kaart);
    const a = document.createElement('a');
    a.href = li.dataset.url;
    a.textContent = li.dataset.titel;
    marker.bindPopup(a);
  });
  if (punten.length) kaart.fitBounds(punten, { padding: [30, 30], maxZoom: 16 });
}

function detail() {
  const element = document.getElementById('wandelingkaart');
  if (!element || !L) return;
  const kaart = basiskaart(element);
  const start = [Number(element.dataset.lat), Number(element.dataset.lon)];
  L.marker(start, { title: element.dataset.start, alt: element.dataset.start }).addTo(kaart).bindTooltip(element.dataset.start);
  // Places to visit and observations, at their public (coarse) place.
  document.querySelectorAll('.wandelingpunten li[data-lat]').forEach((li) => {
    const waarneming = li.dataset.soort === 'waarneming';
    L.circleMarker([Number(li.dataset.lat), Number(li.dataset.lon)], {
      radius: 7, weight: 1, color: '#ffffff', fillOpacity: 0.9, fillColor: waarneming ? '#8a5a00' : '#1f4e8c',
    }).bindTooltip(li.dataset.label).addTo(kaart);
  });
  if (element.dataset.route) {
    const route = L.geoJSON(JSON.parse(element.dataset.route), { style: { color: kleur('primary'), weight: 5, opacity: 0.85 } }).addTo(kaart);
    kaart.fitBounds(route.getBounds().extend(start), { padding: [20, 20] });
  } else {
    kaart.setView(start, 16);
  }
}

lijst();
detail();
