// /wijken and /beheer/hotspots: the hotspot map. Hexagon cells coloured by their Gi* class over the
// wijk boundaries; on the staff map (data-clusters-url) also the DBSCAN clusters' outlines, and a switch
// (radio buttons name="laag") to the layer "unusual for this place": the same cells coloured by their
// Poisson/Benjamini-Hochberg class, with its own legend. Settings come from data-* attributes (the
// Content-Security-Policy forbids inline scripts).
import { grenzenBron, kaartStart, kleur } from './huisstijl.js';
import { paneel } from './paneel.js';
const element = document.getElementById('hotspotkaart');
const status = document.getElementById('hotspot-status');
const L = window.L;

// Diverging colours per class -3..3 (cold blue, hot red); 0 is transparent.
const KLEUREN = { '-3': '#2166ac', '-2': '#67a9cf', '-1': '#d1e5f0', 0: null, 1: '#fddbc7', 2: '#ef8a62', 3: '#b2182b' };
// "Unusual for this place": 2 after the correction, 1 before it only, 0 not.
const ONGEWOON = { 0: null, 1: '#b2abd2', 2: '#542788' };

async function haal(url) {
  const response = await fetch(url, { headers: { Accept: 'application/geo+json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function start() {
  paneel('hotspotfilter-knop', 'hotspotfilter');
  if (!element || !L) return;
  element.querySelector('.kaart__geen-script')?.remove();
  const d = element.dataset;
  const klassen = (d.klassen ?? '').split('|');
  const kaart = L.map(element, { zoomSnap: 0.5, maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  kaart.setView(kaartStart().midden, kaartStart().zoom);
  if (d.tegelUrl) {
    L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  }
  try {
    const [cellen, wijken] = await Promise.all([haal(d.hotspotsUrl), haal(`${d.grenzenUrl}?niveau=wijk`)]);
    const ongewoonKlassen = (d.ongewoonKlassen ?? '').split('|');
    const ongewoon = () => element.dataset.laag === 'ongewoon';
    const stijl = (f) => {
      const kleur = ongewoon() ? ONGEWOON[f.properties.ongewoon ?? 0] : KLEUREN[f.properties.klasse];
      return { color: '#4d4d4d', weight: 0.5, fillColor: kleur ?? '#ffffff', fillOpacity: kleur ? 0.7 : 0 };
    };
    const uitleg = (p) =>
      ongewoon()
        ? `${p.buurt}: ${ongewoonKlassen[p.ongewoon ?? 0] ?? ''} — ${d.labelAantal} ${p.aantalTekst}, ${d.labelVerwacht} ${p.verwachtTekst}`
        : `${p.buurt}: ${klassen[p.klasse + 3] ?? ''} — ${d.labelAantal} ${p.aantalTekst}`;
    const laag = L.geoJSON(cellen, {
      style: stijl,
      onEachFeature: (f, l) => l.bindTooltip(() => uitleg(f.properties), { sticky: true }),
    }).addTo(kaart);
    for (const keuze of document.querySelectorAll('input[name="laag"]')) {
      keuze.addEventListener('change', () => {
        if (!keuze.checked) return;
        element.dataset.laag = keuze.value;
        laag.setStyle(stijl);
        for (const legenda of document.querySelectorAll('[id^="legenda-"]')) {
          legenda.hidden = legenda.id !== `legenda-${keuze.value}`;
        }
      });
    }
    L.geoJSON(wijken, { interactive: false, style: { color: kleur('primary-dark'), weight: 3, fill: false } }).addTo(kaart);
    if (d.clustersUrl) {
      const clusters = await haal(d.clustersUrl);
      L.geoJSON(clusters, {
        style: { color: '#1a1a1a', weight: 2.5, dashArray: '6 4', fill: false },
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 8 }),
        onEachFeature: (f, l) => {
          const p = f.properties;
          l.bindTooltip(`${d.labelCluster} ${p.nummer}: ${p.buurt} — ${d.labelAantal} ${p.aantal}`, { sticky: true });
        },
      }).addTo(kaart);
      element.dataset.clusters = String(clusters.features.length);
    }
    kaart.fitBounds(laag.getBounds(), { padding: [8, 8] });
    element.dataset.geladen = String(cellen.features.length);
    if (status) status.textContent = (status.dataset.geladen ?? '{0}').replace('{0}', cellen.features.length);
  } catch (fout) {
    console.error(fout);
    if (status) status.textContent = status.dataset.mislukt ?? '';
  }
}

start();
