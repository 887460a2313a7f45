// /wijken/{wijkcode}: the wijk's own map of its buurten, a choropleth of reports per 1,000 inhabitants.
// The classes come from the server (the same ones the legend and the buurten table show); each buurt
// carries its figure as a label, so the colour is never the only way to read it. Every buurt is
// reachable with Tab: a link named with its figure and class; Enter moves to its row in the table
// (a pointer reads the figure on the label and keeps the map).
// Settings come from data-* attributes (the Content-Security-Policy forbids inline scripts).
import { grenzenBron, kleur } from './huisstijl.js';
const element = document.getElementById('buurtkaart');
const status = document.getElementById('buurtkaart-status');
const L = window.L;

// A sequential blue scale (ColorBrewer Blues), steps 1–5; the legend's swatches use the same colours.
const KLEUREN = { 1: '#eff3ff', 2: '#bdd7e7', 3: '#6baed6', 4: '#3182bd', 5: '#08519c' };

const vul = (sjabloon, ...waarden) => waarden.reduce((t, w, i) => t.replace(`{${i}}`, w), sjabloon ?? '');

function tekst(p, d, getal) {
  if (p.stand === 'klasse') return vul(d.tekstKlasse, p.naam, getal(p.per1000), p.aantalTekst, p.klasse, d.klassen);
  if (p.stand === 'onderdrukt') return vul(d.tekstOnderdrukt, p.naam, d.onderdrukt.replace('< ', ''));
  return vul(d.tekstGeen, p.naam, p.aantalTekst);
}

async function start() {
  if (!element || !L) return;
  element.querySelector('.kaart__geen-script')?.remove();
  const d = element.dataset;
  const taal = document.documentElement.lang || 'nl';
  const getal = (v) => v.toLocaleString(taal, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const kaart = L.map(element, { zoomSnap: 0.25, maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  if (d.tegelUrl) {
    L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  }
  try {
    const response = await fetch(d.buurtenUrl, { headers: { Accept: 'application/geo+json' } });
    if (!response.ok) throw new Error(`${d.buurtenUrl}: HTTP ${response.status}`);
    const buurten = await response.json();
    const rand = kleur('primary-dark') || '#1a1a1a';
    const laag = L.geoJSON(buurten, {
      style: (f) => {
        const vulkleur = KLEUREN[f.properties.kleur];
        return vulkleur
          ? { color: rand, weight: 1.5, fillColor: vulkleur, fillOpacity: 0.75 }
          : { color: rand, weight: 1.5, dashArray: '5 4', fillColor: '#ffffff', fillOpacity: 0.4 };
      },
      onEachFeature: (f, l) => {
        const p = f.properties;
        const label = p.stand === 'klasse' ? getal(p.per1000) : p.stand === 'onderdrukt' ? d.onderdrukt : '–';
        l.bindTooltip(label, { permanent: true, direction: 'center', className: 'buurtkaart__label' });
      },
    }).addTo(kaart);
    kaart.fitBounds(laag.getBounds(), { padding: [8, 8] });
    // Keyboard and screen readers: each buurt a named link to its table row.
    laag.eachLayer((l) => {
      const p = l.feature.properties;
      const pad = l.getElement();
      if (!pad) return;
      pad.setAttribute('tabindex', '0');
      pad.setAttribute('role', 'link');
      pad.setAttribute('aria-label', tekst(p, d, getal));
      pad.dataset.code = p.code;
      const naarRij = () => {
        const rij = document.getElementById(`buurt-${p.code}`);
        rij?.scrollIntoView({ block: 'center' });
        rij?.querySelector('th')?.focus();
      };
      pad.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          naarRij();
        }
      });
    });
    element.dataset.geladen = String(buurten.features.length);
    if (status) status.textContent = vul(status.dataset.geladen, buurten.features.length);
  } catch (fout) {
    console.error(fout);
    if (status) status.textContent = status.dataset.mislukt ?? '';
  }
}

start();
