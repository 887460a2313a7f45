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
  // A cluster shows how many reports its places hold together, not how many places.
  const punten = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: (cluster) => {
      const aantal = cluster.getAllChildMarkers().reduce((som, m) => som + (m.options.aantal || 1), 0);
      const maat = aantal < 10 ? 'small' : aantal < 100 ? 'medium' : 'large';
      return L.divIcon({ html: `<div><span>${aantal}</span></div>`, className: `marker-cluster marker-cluster-${maat}`, iconSize: L.point(40, 40) });
    },
  }).addTo(kaart);

  // One marker per public place; its popup lists the newest reports there.
  function plekMarker(lat, lon, p) {
    const datum = (m) => escape(new Date(m.datum).toLocaleDateString(document.documentElement.lang));
    // An open report also offers "Ik heb dit ook": its page has the one-tap form (works without JavaScript).
    const steun = (m) => (m.gesloten || !d.tekstSteun ? ''
      : ` · <a href="/melding/${encodeURIComponent(m.volgcode)}#ikheb" class="popup__steun">${escape(d.tekstSteun)}</a>`);
    const link = (m) => `<a href="/melding/${encodeURIComponent(m.volgcode)}">${escape(d.tekstBekijk || 'Bekijk melding')}</a>${steun(m)}`;
    const nieuwste = p.meldingen[0];
    let html;
    if (p.aantal === 1) {
      html = `<p class="popup__titel">${escape(nieuwste.rubriek)}</p>`
        + `<p>${escape(d.tekstGemeld || 'Gemeld op')} ${datum(nieuwste)}, ${escape(nieuwste.status.toLowerCase())}</p>`
        + `<p>${link(nieuwste)}</p>`;
    } else {
      html = `<p class="popup__titel">${escape((d.tekstPlek || '{0}').replace('{0}', String(p.aantal)))}</p><ul class="popup__lijst">`
        + p.meldingen.map((m) => `<li>${escape(m.rubriek)}, ${datum(m)}, ${escape(m.status.toLowerCase())}: ${link(m)}</li>`).join('')
        + '</ul>';
      if (p.aantal > p.meldingen.length) {
        html += `<p>${escape((d.tekstMeer || '+{0}').replace('{0}', String(p.aantal - p.meldingen.length)))}</p>`;
      }
    }
    const titel = p.aantal === 1 ? `${nieuwste.rubriek}, ${nieuwste.datum}` : (d.tekstPlek || '{0}').replace('{0}', String(p.aantal));
    const marker = L.marker([lat, lon], { title: titel, alt: titel, aantal: p.aantal });
    marker.bindPopup(html);
    return marker;
  }
  let verzoek = 0;

  // The window widened to the tile grid at zoom + 1 (half-tiles of 128 px), as the server aligns it
  // (KaartCache.Uitlijnen): the same part of town gives the same URL, so the browser can revalidate
  // (ETag, 304) and the server can reuse one answer for everyone looking there.
  function uitgelijnd(b, zoom) {
    const n = 2 ** Math.min(zoom + 1, 24);
    const marge = 0.001;
    const tegelX = (lon) => (lon + 180) / 360 * n;
    const tegelY = (lat) => {
      const rad = Math.max(-85.05112878, Math.min(85.05112878, lat)) * Math.PI / 180;
      return (1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2 * n;
    };
    const lon = (x) => x / n * 360 - 180;
    const lat = (y) => Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
    const x0 = Math.floor(tegelX(b.getWest()) + marge);
    const x1 = Math.ceil(tegelX(b.getEast()) - marge);
    const y0 = Math.floor(tegelY(b.getNorth()) + marge);
    const y1 = Math.ceil(tegelY(b.getSouth()) - marge);
    return [lon(x0), lat(y1), lon(x1), lat(y0)].map((g) => g.toFixed(9)).join(',');
  }

  async function laadMeldingen() {
    const nummer = ++verzoek;
    const b = kaart.getBounds();
    const query = filterQuery();
    query.set('bbox', uitgelijnd(b, kaart.getZoom()));
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
          punten.addLayer(plekMarker(lat, lon, p));
        }
      }
      element.dataset.modus = modus;
      // Reports in view (a place counts all its reports; a suppressed cell counts as none); the
      // aligned window can reach a little past the edges of the map.
      const zicht = kaart.getBounds();
      const aantal = features
        .filter((f) => zicht.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]]))
        .reduce((som, f) => som + (f.properties.aantal ?? 0), 0);
      element.dataset.aantal = String(aantal);
      const tekst = (modus === 'cellen' ? status?.dataset.cellen
        : collectie.afgekapt ? status?.dataset.afgekapt : status?.dataset.punten) || '{0}';
      meld(tekst.replace('{0}', String(aantal)));
    } catch (fout) {
      console.error(fout);
      meld(status?.dataset.mislukt ?? '');
    }
  }

  // A popup that pans the map into view must not reload the reports: the reload would remove its
  // marker and close the popup the resident just opened (seen on a phone).
  let popupPan = false;
  kaart.on('autopanstart', () => { popupPan = true; });
  kaart.on('moveend', () => {
    const c = kaart.getCenter();
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${kaart.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
    if (popupPan) {
      popupPan = false;
      return;
    }
    laadMeldingen();
  });

  // Filters apply at once; the URL follows so the view can be shared.
  filters?.addEventListener('change', (event) => {
    if (event.target?.id === 'laag-maatregelen') return; // a layer, not a filter
    const query = filterQuery();
    history.replaceState(null, '', `${window.location.pathname}${query.toString() ? `?${query}` : ''}${window.location.hash}`);
    laadMeldingen();
  });

  toonMaatregelen(kaart, d.maatregelenUrl);

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

// The optional layer of measures (/maatregelen.geojson): drawn when the box is ticked, each with a
// popup linking to its place on the wijk page. Texts go in as text, never as HTML.
function toonMaatregelen(kaart, url) {
  const vink = document.getElementById('laag-maatregelen');
  if (!vink || !url) return;
  document.getElementById('laag-maatregelen-veld').hidden = false;
  let laag = null;
  const bij = () => {
    if (!vink.checked) {
      if (laag) kaart.removeLayer(laag);
      element.dataset.maatregelen = '0';
      return;
    }
    fetch(url).then((r) => (r.ok ? r.json() : null)).then((data) => {
      if (!data || !vink.checked) return;
      if (laag) kaart.removeLayer(laag);
      const stijl = { color: kleur('primary-dark'), weight: 4, fillOpacity: 0.15, dashArray: '2 6' };
      laag = L.geoJSON(data, {
        style: stijl,
        pointToLayer: (_, latlng) => L.circleMarker(latlng, { ...stijl, radius: 9, dashArray: null, fillOpacity: 0.6 }),
        onEachFeature: (feature, l) => {
          const p = feature.properties;
          const a = document.createElement('a');
          a.href = p.link;
          a.textContent = p.titel;
          const div = document.createElement('div');
          div.append(a, document.createElement('br'), `${p.type} · ${p.statusNaam}`);
          l.bindPopup(div);
        },
      }).addTo(kaart);
      element.dataset.maatregelen = String(data.features.length);
    }).catch((fout) => console.error(fout));
  };
  vink.addEventListener('change', bij);
  bij();
}

start();
