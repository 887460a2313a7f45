// /beheer/wandelingen/{id}/waarneming: tap the map, use the phone's location, or go back to the
// meeting point; the script fills Invoer.Lat/Lon, which the form also offers as plain fields.
import { kaartStart, kleur } from './huisstijl.js';
const L = window.L;
const element = document.getElementById('waarnemingkaart');

function start() {
  if (!element || !L) return;
  const d = element.dataset;
  const lat = document.getElementById('lat');
  const lon = document.getElementById('lon');
  const status = document.getElementById('locatie-status');
  const kaart = L.map(element, { maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  if (d.tegelUrl) L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  const punt = [Number(lat.value) || kaartStart().midden[0], Number(lon.value) || kaartStart().midden[1]];
  const marker = L.marker(punt, { title: d.label, alt: d.label, keyboard: false }).addTo(kaart);
  if (d.route) {
    const route = L.geoJSON(JSON.parse(d.route), { interactive: false, style: { color: kleur('primary'), weight: 4, opacity: 0.7 } }).addTo(kaart);
    kaart.fitBounds(route.getBounds().extend(punt), { padding: [20, 20] });
  } else {
    kaart.setView(punt, 17);
  }

  function zet(la, lo) {
    lat.value = String(Math.round(la * 1e7) / 1e7);
    lon.value = String(Math.round(lo * 1e7) / 1e7);
    marker.setLatLng([la, lo]);
  }

  kaart.on('click', (e) => zet(e.latlng.lat, e.latlng.lng));
  const naarStart = document.getElementById('naar-start');
  naarStart.hidden = false;
  naarStart.addEventListener('click', () => {
    zet(Number(naarStart.dataset.lat), Number(naarStart.dataset.lon));
    kaart.panTo(marker.getLatLng());
  });
  const knop = document.getElementById('mijn-locatie');
  if ('geolocation' in navigator) {
    knop.hidden = false;
    knop.addEventListener('click', () => {
      navigator.geolocation.getCurrentPosition((positie) => {
        zet(positie.coords.latitude, positie.coords.longitude);
        kaart.setView(marker.getLatLng(), 18);
        status.textContent = '';
      }, () => {
        status.textContent = knop.dataset.mislukt;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  [lat, lon].forEach((veld) => veld.addEventListener('change', () => {
    const la = Number.parseFloat(lat.value);
    const lo = Number.parseFloat(lon.value);
    if (Number.isFinite(la) && Number.isFinite(lo)) marker.setLatLng([la, lo]);
  }));
  element.dataset.klaar = 'true';
}

start();
