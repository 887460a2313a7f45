// /kaart: public reports per viewport on a Leaflet map with the wijk and buurt boundaries.
// Below data-punten-vanaf the server sends counts per grid cell; from there on coarsened points,
// clustered here with Leaflet.markercluster. The filter form lives in the URL, so a view can be shared.
import { grenzenBron, kaartStart, kleur } from './huisstijl.js';
import { paneel } from './paneel.js';
const element = document.getElementById('kaart');
const status = document.getElementById('kaart-status');
const filters = document.getElementById('filters');
const L = window.L;

function meld(tekst) {
  if (status) status.textContent = tekst;
}

function filterQuery() {
  const data = new FormData(filters);
  const query = new URLSearchParams();
  for (const [naam, waarde] of data) {
    if (waarde) query.append(naam, waarde);
  }
  return query;
}

async function laadGrenzen(url, niveau) {
  const response = await fetch(`${url}?niveau=${niveau}`, { headers: { Accept: 'application/geo+json' } });
  if (!response.ok) throw new Error(`grenzen ${niveau}: HTTP ${response.status}`);
  return response.json();
}

function escape(tekst) {
  const div = document.createElement('div');
  div.textContent = tekst;
  return div.innerHTML;
}

function start() {
  paneel('filters-knop', 'filters');
  if (!element || !L) return;
  element.querySelector('.kaart__geen-script')?.remove();
  const d = element.dataset;
  const puntenVanaf = Number(d.puntenVanaf) || 16;
  // No fade animation: popups are fully readable at once (and axe measures their real contrast).
  const kaart = L.map(element, { zoomSnap: 1, fadeAnimation: false, maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  if (d.tegelUrl) {
    L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  }

  // The view is in the hash (#zoom/lat/lon) so a shared link opens the same place.
  const hash = /^#(\d+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(window.location.hash);
  if (hash) kaart.setView([Number(hash[2]), Number(hash[3])], Number(hash[1]));
  else kaart.setView(kaartStart().midden, kaartStart().zoom);

  const cellen = L.layerGroup().addTo(kaart);
  const punten = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 }).addTo(kaart);
  let verzoek = 0;

  async function laadMeldingen() {
    const nummer = ++verzoek;
    const b = kaart.getBounds();
    const query = filterQuery();
    query.set('bbox', [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((g) => g.toFixed(6)).join(','));
    query.set('zoom', String(kaart.getZoom()));
    try {
      const response = await fetch(`${d.meldingenUrl}?${query}`, { headers: { Accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(`meldingen: HTTP ${response.status}`);
      const collectie = await response.json();
      if (nummer !== verzoek) return;
      cellen.clearLayers();
      punten.clearLayers();
      const features = collectie.features;
      const modus = kaart.getZoom() >= puntenVanaf ? 'punten' : 'cellen';
      for (const f of features) {
        const [lon, lat] = f.geometry.coordinates;
        const p = f.properties;
        if (p.soort === 'cel') {
          const icon = L.divIcon({ className: 'kaartcel', html: `<span>${escape(p.label)}</span>`, iconSize: [40, 40] });
          L.marker([lat, lon], { icon, keyboard: false, interactive: false }).addTo(cellen);
        } else {
          const marker = L.marker([lat, lon], { title: `${p.rubriek}, ${p.datum}`, alt: p.rubriek });
          marker.bindPopup(
            `<p class="popup__titel">${escape(p.rubriek)}</p>`
            + `<p>${escape(d.tekstGemeld || 'Gemeld op')} ${escape(new Date(p.datum).toLocaleDateString(document.documentElement.lang))}, ${escape(p.status.toLowerCase())}</p>`
            + `<p><a href="/melding/${encodeURIComponent(p.volgcode)}">${escape(d.tekstBekijk || 'Bekijk melding')}</a></p>`);
          punten.addLayer(marker);
        }
      }
      element.dataset.modus = modus;
      element.dataset.aantal = String(features.length);
      const tekst = (modus === 'cellen' ? status?.dataset.cellen : status?.dataset.punten) || '{0}';
      meld(tekst.replace('{0}', String(modus === 'cellen'
        ? features.reduce((som, f) => som + (f.properties.aantal ?? 0), 0)
        : features.length)));
    } catch (fout) {
      console.error(fout);
      meld(status?.dataset.mislukt ?? '');
    }
  }

  kaart.on('moveend', () => {
    const c = kaart.getCenter();
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${kaart.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
    laadMeldingen();
  });

  // Filters apply at once; the URL follows so the view can be shared.
  filters?.addEventListener('change', () => {
    const query = filterQuery();
    history.replaceState(null, '', `${window.location.pathname}${query.toString() ? `?${query}` : ''}${window.location.hash}`);
    laadMeldingen();
  });

  meld(status?.dataset.laden ?? '');
  Promise.all([laadGrenzen(d.grenzenUrl, 'buurt'), laadGrenzen(d.grenzenUrl, 'wijk')]).then(([buurten, wijken]) => {
    const buurtLaag = L.geoJSON(buurten, {
      style: { color: kleur('primary'), weight: 2, dashArray: '6 4', fillColor: kleur('primary'), fillOpacity: 0.04 },
      onEachFeature: (feature, laag) => {
        laag.bindTooltip(`${feature.properties.naam} (${feature.properties.code})`, { className: 'kaart__tooltip', sticky: true });
      },
    }).addTo(kaart);
    buurtLaag.bringToBack();
    L.geoJSON(wijken, { interactive: false, style: { color: kleur('primary-dark'), weight: 4, fill: false } }).addTo(kaart);
    element.dataset.geladen = `${wijken.features.length} wijken, ${buurten.features.length} buurten`;
    if (!hash) kaart.fitBounds(buurtLaag.getBounds(), { padding: [8, 8] });
    laadMeldingen();
  }).catch((fout) => {
    console.error(fout);
    meld(status?.dataset.mislukt ?? '');
    laadMeldingen();
  });
}

start();
