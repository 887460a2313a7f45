// /beheer/meldingen: the list's selection on a Leaflet map (staff only, exact places), kept live:
// server-sent events from /beheer/meldingen/live say that reports were filed or changed, and the
// list, its count and the map are fetched again under the same filter (the event itself carries
// only ids). Settings come from data-* attributes (the Content-Security-Policy forbids inline scripts).
import { grenzenBron, kaartStart, kleur } from './huisstijl.js';
const element = document.getElementById('beheerkaart');
const L = window.L;

const kleuren = {
  gemeld: '#b3261e', 'in-behandeling': '#8a5a00', doorgezet: '#1f4e8c', heropend: '#b3261e',
  afgehandeld: '#2e6b30', afgewezen: '#555555', ingetrokken: '#555555',
};

let kaart = null;
let laag = null;

function kleurVan(feature) {
  return kleuren[feature.properties.status] ?? kleur('primary');
}

async function laadMeldingen(url) {
  const r = await fetch(url, { headers: { Accept: 'application/geo+json' } });
  if (!r.ok) throw new Error(`meldingen: HTTP ${r.status}`);
  const meldingen = await r.json();
  if (laag) laag.remove();
  laag = L.geoJSON(meldingen, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 6, weight: 1, color: '#ffffff', fillOpacity: 0.85, fillColor: kleurVan(feature),
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
  return meldingen;
}

async function start() {
  if (!element || !L) return;
  const d = element.dataset;
  kaart = L.map(element, { preferCanvas: true, maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  kaart.setView(kaartStart().midden, kaartStart().zoom);
  if (d.tegelUrl) {
    L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  }
  try {
    const [grenzen, meldingen] = await Promise.all([
      fetch('/kaart/grenzen.geojson?niveau=buurt').then((r) => (r.ok ? r.json() : null)),
      laadMeldingen(d.geojson),
    ]);
    if (grenzen) {
      const buurten = L.geoJSON(grenzen, { interactive: false, style: { color: kleur('primary'), weight: 1, dashArray: '4 4', fill: false } }).addTo(kaart);
      kaart.fitBounds(buurten.getBounds(), { padding: [8, 8] });
    }
    if (!grenzen && meldingen.features.length > 0) kaart.fitBounds(laag.getBounds(), { padding: [8, 8] });
  } catch (fout) {
    console.error(fout);
  }
  element.dataset.klaar = 'true';
}

// --- Live ---------------------------------------------------------------------------------------

const status = document.getElementById('live-status');
const tabel = document.getElementById('meldingen');
let gepland = null;
let bezig = false;
let opnieuw = false;

function idsIn(tbody) {
  return new Set([...tbody.querySelectorAll('tr[data-id]')].map((tr) => tr.dataset.id));
}

/** Fetches this page again (same filter, sort and page) and swaps in its list and count. */
async function verversen() {
  if (bezig) { opnieuw = true; return; }
  bezig = true;
  try {
    const r = await fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!r.ok) return;
    const nieuw = new DOMParser().parseFromString(await r.text(), 'text/html');
    const oudeBody = tabel.tBodies[0];
    const nieuweBody = nieuw.querySelector('#meldingen tbody');
    if (!nieuweBody) return;
    const eerder = idsIn(oudeBody);
    const nieuweIds = [...idsIn(nieuweBody)].filter((id) => !eerder.has(id));
    for (const id of nieuweIds) {
      const cel = nieuweBody.querySelector(`tr[data-id="${id}"] td:not(.kies)`);
      const label = document.createElement('span');
      label.className = 'label label--nieuw';
      label.textContent = status.dataset.labelNieuw;
      cel?.insertBefore(label, cel.querySelector('br'));
      cel?.insertBefore(document.createTextNode(' '), label);
    }
    // Rows marked new before stay marked until the page is left.
    for (const oud of oudeBody.querySelectorAll('tr[data-id] .label--nieuw')) {
      const cel = nieuweBody.querySelector(`tr[data-id="${oud.closest('tr').dataset.id}"] td:not(.kies)`);
      if (cel && !cel.querySelector('.label--nieuw')) {
        cel.insertBefore(oud.cloneNode(true), cel.querySelector('br'));
      }
    }
    // The rows ticked for a bulk action stay ticked.
    for (const vak of oudeBody.querySelectorAll('input[name="Ids"]:checked')) {
      const daar = nieuweBody.querySelector(`input[name="Ids"][value="${vak.value}"]`);
      if (daar) daar.setAttribute('checked', '');
    }
    oudeBody.replaceWith(document.importNode(nieuweBody, true));
    telSelectie();
    for (const id of ['aantal', 'geen-meldingen']) {
      const hier = document.getElementById(id);
      const daar = nieuw.getElementById(id);
      if (hier && daar) hier.textContent = daar.textContent;
      else if (hier && !daar) hier.remove();
      else if (!hier && daar) tabel.closest('.tabel-scroll').after(document.importNode(daar, true));
    }
    if (nieuweIds.length > 0) {
      status.textContent = nieuweIds.length === 1
        ? status.dataset.nieuwEen
        : status.dataset.nieuwMeer.replace('{0}', String(nieuweIds.length));
    }
    if (kaart) await laadMeldingen(element.dataset.geojson);
    tabel.dataset.ververst = String(Number(tabel.dataset.ververst ?? 0) + 1);
  } catch (fout) {
    console.error(fout);
  } finally {
    bezig = false;
    if (opnieuw) { opnieuw = false; plan(); }
  }
}

/** Several changes in a short time become one refresh. */
function plan() {
  clearTimeout(gepland);
  gepland = setTimeout(verversen, 300);
}

function live() {
  if (!status || !tabel || !('EventSource' in window)) return;
  const bron = new EventSource(status.dataset.liveUrl);
  let verbroken = false;
  bron.addEventListener('open', () => {
    status.textContent = status.dataset.live;
    status.dataset.verbonden = 'true';
    // After a lost connection, changes made meanwhile were not heard.
    if (verbroken) plan();
    verbroken = false;
  });
  // Reports filed or changed, or the server's listener reconnected ("verbonden"): refresh.
  bron.addEventListener('melding', () => plan());
  bron.addEventListener('error', () => {
    verbroken = true;
    status.dataset.verbonden = 'false';
    status.textContent = status.dataset.weg;
  });
}

// --- Filters behind a button on a phone -----------------------------------------------------------

/** Below 64rem the filter form is folded away (beheer.css); the button (a link to #filters without
 * JavaScript) opens and closes it in place. */
function filterknop() {
  const knop = document.getElementById('filterknop');
  const filters = document.getElementById('filters');
  if (!knop || !filters) return;
  knop.setAttribute('role', 'button');
  knop.setAttribute('aria-expanded', 'false');
  knop.addEventListener('click', (e) => {
    e.preventDefault();
    const open = filters.classList.toggle('werkplek__filters--open');
    knop.setAttribute('aria-expanded', String(open));
    if (open) filters.querySelector('select, input')?.focus();
  });
}

// --- Selection for bulk actions ------------------------------------------------------------------

const selectie = document.getElementById('selectie');

/** "n geselecteerd" beside the bulk form's heading. */
function telSelectie() {
  const teller = document.getElementById('bulk-aantal');
  if (!teller) return;
  const n = document.querySelectorAll('#meldingen input[name="Ids"]:checked').length;
  teller.textContent = teller.dataset.tekst.replace('{0}', String(n));
  // Out of the way until a row is ticked (or the server sent it back with a message).
  if (selectie) selectie.hidden = n === 0 && !selectie.querySelector('.fout');
}

/** Only the target field of the chosen action is shown (without JavaScript all are, and the server
 * takes the one that belongs to the action); a box in the header ticks the whole page. */
function bulk() {
  if (!selectie) return;
  const soort = document.getElementById('bulk-soort');
  const toon = () => {
    for (const veld of selectie.querySelectorAll('.bulk__doel')) veld.hidden = veld.dataset.soort !== soort.value;
  };
  soort.addEventListener('change', toon);
  toon();
  telSelectie();
  const alle = document.getElementById('kies-alle');
  if (alle) {
    alle.hidden = false;
    alle.addEventListener('change', () => {
      for (const vak of document.querySelectorAll('#meldingen input[name="Ids"]')) vak.checked = alle.checked;
      telSelectie();
    });
  }
  document.getElementById('meldingen')?.addEventListener('change', (e) => {
    if (e.target.name === 'Ids') telSelectie();
  });
}

filterknop();
bulk();
start();
live();
