// /melding/{code}: the (coarsened) place of one report on a small map.
import { grenzenBron, kleur } from './huisstijl.js';
const element = document.getElementById('meldingkaart');
const L = window.L;
if (element && L) {
  const lat = Number(element.dataset.lat);
  const lon = Number(element.dataset.lon);
  const kaart = L.map(element, { zoomControl: true, dragging: false, scrollWheelZoom: false, keyboard: false });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  kaart.setView([lat, lon], element.dataset.grof === 'true' ? 15 : 17);
  if (element.dataset.grof === 'true') {
    L.circle([lat, lon], { radius: 177, color: kleur('primary'), weight: 2, fillOpacity: 0.15 }).addTo(kaart);
  } else {
    L.circleMarker([lat, lon], { radius: 9, color: kleur('primary-dark'), weight: 3, fillColor: kleur('primary'), fillOpacity: 0.8 }).addTo(kaart);
  }
  fetch('/kaart/grenzen.geojson?niveau=buurt').then((r) => (r.ok ? r.json() : null)).then((buurten) => {
    if (buurten) L.geoJSON(buurten, { interactive: false, style: { color: kleur('primary'), weight: 1, dashArray: '4 4', fill: false } }).addTo(kaart);
  }).catch(() => {});
}
