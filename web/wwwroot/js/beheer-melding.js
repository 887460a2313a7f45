// /beheer/meldingen/{id}: the report's exact place with nearby reports; dragging the pin fills the
// place fields of "Categorie of plek aanpassen"; a reply template fills the message.
import { grenzenBron, kleur } from './huisstijl.js';
const element = document.getElementById('beheermeldingkaart');
const L = window.L;

if (element && L) {
  const lat = Number(element.dataset.lat);
  const lon = Number(element.dataset.lon);
  const kaart = L.map(element, { preferCanvas: false, scrollWheelZoom: false });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  kaart.setView([lat, lon], 17);
  const latVeld = document.getElementById('aanpassen-lat');
  const lonVeld = document.getElementById('aanpassen-lon');
  const pin = L.marker([lat, lon], { draggable: true, keyboard: false, title: element.getAttribute('aria-label') ?? '' }).addTo(kaart);
  pin.on('dragend', () => {
    const p = pin.getLatLng();
    if (latVeld) latVeld.value = p.lat.toFixed(6);
    if (lonVeld) lonVeld.value = p.lng.toFixed(6);
  });
  for (const d of JSON.parse(element.dataset.dichtbij || '[]')) {
    const marker = L.circleMarker([d.Lat, d.Lon], { radius: 6, weight: 1, color: '#ffffff', fillColor: '#1f4e8c', fillOpacity: 0.85 }).addTo(kaart);
    const link = document.createElement('a');
    link.href = `/beheer/meldingen/${d.Id}`;
    link.textContent = `${d.Volgcode} – ${d.Rubriek} (${d.StatusNaam})`;
    marker.bindPopup(link);
  }
  fetch('/kaart/grenzen.geojson?niveau=buurt').then((r) => (r.ok ? r.json() : null)).then((buurten) => {
    if (buurten) L.geoJSON(buurten, { interactive: false, style: { color: kleur('primary'), weight: 1, dashArray: '4 4', fill: false } }).addTo(kaart);
  }).catch(() => {});
  element.dataset.klaar = 'true';
}

const sjabloon = document.getElementById('sjabloon');
const bericht = document.getElementById('bericht');
if (sjabloon && bericht) {
  sjabloon.addEventListener('change', () => {
    const gekozen = sjabloon.selectedOptions[0];
    if (gekozen?.dataset.tekst) bericht.value = gekozen.dataset.tekst;
  });
}
