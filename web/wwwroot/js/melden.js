// /melden: the report form, enhanced. Without this script the form still works (address search on
// the server, plain submit); with it the melder gets a map pin, "use my location", address
// suggestions, category guidance, possible duplicates, the place from a photo's GPS and drafts that
// survive a lost connection or a closed tab.
import { leesGps } from './exif.js';
import { grenzenBron, kaartStart, kleur } from './huisstijl.js';
import {
  bewaarConcept, leesConcept, wisConcept, nieuweSleutel, inWachtrij, verstuurAlles, wachtend, verzonden, wisWachtend, wisVerzonden,
} from './concept.js';

const form = document.getElementById('meldformulier');
const L = window.L;
const $ = (id) => document.getElementById(id);
const tekst = (sleutel) => form.dataset[sleutel] ?? '';
const CONCEPT = 'melden';

const latVeld = $('lat');
const lonVeld = $('lon');
const adres = $('adres-zoek');
const lijst = $('adres-suggesties');
const plekStatus = $('plek-gekozen');
const conceptStatus = $('concept-status');
let kaart;
let speld;
let fotoGps = null;

// --- Place -----------------------------------------------------------------------------------------

function initKaart() {
  const element = $('meldkaart');
  if (!element || !L) return;
  kaart = L.map(element, { zoomSnap: 0.5, tap: true });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(grenzenBron());
  if (form.dataset.tegelUrl) {
    L.tileLayer(form.dataset.tegelUrl, { attribution: form.dataset.tegelAttributie, maxZoom: 19 }).addTo(kaart);
  }
  kaart.setView(kaartStart().midden, kaartStart().zoom);
  fetch(`${form.dataset.grenzenUrl}?niveau=gemeente`).then((r) => r.json()).then((gemeente) => {
    const laag = L.geoJSON(gemeente, { interactive: false, style: { color: kleur('primary-dark'), weight: 3, fillOpacity: 0.04 } }).addTo(kaart);
    if (!speld) kaart.fitBounds(laag.getBounds(), { padding: [4, 4] });
  }).catch(() => {});
  kaart.on('click', (e) => kiesPlek(e.latlng.lat, e.latlng.lng));
  element.dataset.klaar = 'true';
}

async function kiesPlek(lat, lon, label) {
  latVeld.value = lat.toFixed(6);
  lonVeld.value = lon.toFixed(6);
  if (kaart) {
    if (!speld) {
      speld = L.marker([lat, lon], { draggable: true, keyboard: true, title: tekst('speldLabel') || 'Gekozen plek', alt: 'Gekozen plek' }).addTo(kaart);
      speld.on('dragend', () => { const p = speld.getLatLng(); kiesPlek(p.lat, p.lng); });
    } else {
      speld.setLatLng([lat, lon]);
    }
    if (kaart.getZoom() < 16) kaart.setView([lat, lon], 17);
  }
  if (label) {
    toonPlek(label, true);
  } else {
    toonPlek('…', true);
    try {
      const r = await fetch(`${form.dataset.omgekeerdUrl}?lat=${lat}&lon=${lon}`);
      const plek = r.ok ? await r.json() : null;
      if (plek && plek.binnenGemeente === false) {
        toonPlek(plek.weergavenaam || '', false);
      } else {
        toonPlek(plek?.weergavenaam || `${lat.toFixed(5)}, ${lon.toFixed(5)}`, true);
      }
    } catch {
      toonPlek(`${lat.toFixed(5)}, ${lon.toFixed(5)}`, true);
    }
  }
  $('foto-gps').hidden = true;
  zoekDubbel();
  bewaar();
}

function toonPlek(naam, binnen) {
  adres.value = binnen ? naam : adres.value;
  plekStatus.textContent = binnen
    ? `${plekStatus.dataset.gekozen || 'Gekozen plek:'} ${naam}`
    : (plekStatus.dataset.buiten || 'Deze plek ligt buiten de gemeente. Kies een plek binnen de gemeente.');
  plekStatus.classList.toggle('plek--fout', !binnen);
}

function initLocatie() {
  const knop = $('mijn-locatie');
  if (!('geolocation' in navigator) || !knop) return;
  knop.hidden = false;
  knop.addEventListener('click', () => {
    plekStatus.textContent = knop.dataset.zoeken || 'Uw locatie wordt bepaald…';
    navigator.geolocation.getCurrentPosition(
      (p) => kiesPlek(p.coords.latitude, p.coords.longitude),
      () => { plekStatus.textContent = knop.dataset.mislukt || 'Uw locatie kon niet worden bepaald. Tik op de kaart of zoek een adres.'; },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
}

// --- Address suggestions: an ARIA 1.2 combobox ------------------------------------------------------

let suggesties = [];
let actief = -1;
let zoekTimer;

function initAdres() {
  adres.addEventListener('input', () => {
    clearTimeout(zoekTimer);
    zoekTimer = setTimeout(zoekAdres, 200);
  });
  adres.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!suggesties.length) return;
      e.preventDefault();
      actief = (actief + (e.key === 'ArrowDown' ? 1 : -1) + suggesties.length) % suggesties.length;
      markeer();
    } else if (e.key === 'Enter') {
      if (lijst.hidden || !suggesties.length) return;
      e.preventDefault();
      kiesSuggestie(suggesties[Math.max(actief, 0)]);
    } else if (e.key === 'Escape') {
      sluitLijst();
    }
  });
  adres.addEventListener('blur', () => setTimeout(sluitLijst, 150));
}

async function zoekAdres() {
  const q = adres.value.trim();
  if (q.length < 2) { sluitLijst(); return; }
  try {
    const r = await fetch(`${form.dataset.suggestUrl}?q=${encodeURIComponent(q)}`);
    if (!r.ok) return;
    const antwoord = await r.json();
    if (adres.value.trim() !== q) return;
    suggesties = antwoord.response?.docs ?? [];
    toonLijst();
  } catch {
    sluitLijst();
  }
}

function toonLijst() {
  lijst.replaceChildren(...suggesties.map((s, i) => {
    const li = document.createElement('li');
    li.id = `adres-optie-${i}`;
    li.setAttribute('role', 'option');
    li.textContent = s.weergavenaam;
    li.addEventListener('mousedown', (e) => { e.preventDefault(); kiesSuggestie(s); });
    return li;
  }));
  if (!suggesties.length) {
    const li = document.createElement('li');
    li.className = 'combobox__leeg';
    li.textContent = lijst.dataset.leeg || 'Geen adres of buurt gevonden.';
    lijst.append(li);
  }
  actief = -1;
  lijst.hidden = false;
  adres.setAttribute('aria-expanded', 'true');
  adres.removeAttribute('aria-activedescendant');
}

function markeer() {
  [...lijst.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === actief)));
  adres.setAttribute('aria-activedescendant', `adres-optie-${actief}`);
}

function sluitLijst() {
  lijst.hidden = true;
  adres.setAttribute('aria-expanded', 'false');
  adres.removeAttribute('aria-activedescendant');
}

function kiesSuggestie(s) {
  sluitLijst();
  const m = /POINT\(([-\d.]+) ([-\d.]+)\)/.exec(s.centroide_ll || '');
  if (m) kiesPlek(Number(m[2]), Number(m[1]), s.weergavenaam);
}

// --- Category guidance and possible duplicates ----------------------------------------------------

function gekozenRubriek() {
  return form.querySelector('input[name="Invoer.Rubriek"]:checked')?.value ?? '';
}

function toonAdvies() {
  const rubriek = gekozenRubriek();
  form.querySelectorAll('.advies').forEach((a) => { a.hidden = a.dataset.rubriek !== rubriek; });
  toonVragen();
}

// The chosen category's extra questions: only its block is shown and posted; it counts as seen.
function toonVragen() {
  const rubriek = gekozenRubriek();
  let blok = null;
  form.querySelectorAll('.stap--vragen').forEach((f) => {
    const gekozen = f.dataset.rubriek === rubriek;
    f.hidden = !gekozen;
    f.disabled = !gekozen;
    if (gekozen) blok = f;
  });
  $('vragen-voor').value = blok ? rubriek : '';
  toonStop();
}

// A stop answered "ja", or a category that must not be reported here: the number to call, no sending.
function toonStop() {
  const blok = form.querySelector('.stap--vragen:not([hidden])');
  let gestopt = false;
  if (blok) {
    blok.querySelectorAll('[data-soort="stop"]').forEach((v) => {
      const ja = v.querySelector('input[value="ja"]')?.checked ?? false;
      v.querySelector('[data-stop]').hidden = !ja;
      gestopt ||= ja;
    });
    gestopt ||= blok.querySelector(':scope > .stop') !== null;
  }
  $('versturen').disabled = gestopt;
}

async function zoekDubbel() {
  const sectie = $('dubbel');
  const rubriek = gekozenRubriek();
  if (!rubriek || !latVeld.value) { sectie.hidden = true; return; }
  try {
    const r = await fetch(`${form.dataset.dubbelUrl}?lat=${latVeld.value}&lon=${lonVeld.value}&rubriek=${encodeURIComponent(rubriek)}`);
    const meldingen = r.ok ? await r.json() : [];
    const ul = $('dubbel-lijst');
    ul.replaceChildren(...meldingen.map((m) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `/melding/${m.volgcode}`;
      a.textContent = `${m.rubriek}: ${m.statusNaam.toLowerCase()}, ${new Date(m.aangemaaktOp).toLocaleDateString(document.documentElement.lang)} (${m.afstandMeters} m)`;
      // "Ik heb dit ook" instead of a duplicate: the report's page has the one-tap form.
      const steun = document.createElement('a');
      steun.href = `/melding/${m.volgcode}#ikheb`;
      steun.className = 'dubbel__steun';
      steun.textContent = sectie.dataset.tekstSteun;
      li.append(a, ' · ', steun);
      return li;
    }));
    sectie.hidden = meldingen.length === 0;
  } catch {
    sectie.hidden = true;
  }
}

// --- Photos: offer the place where a photo was taken -----------------------------------------------

async function bekijkFotos() {
  fotoGps = null;
  const bestanden = [...$('fotos').files];
  for (const bestand of bestanden) {
    if (bestand.type !== 'image/jpeg') continue;
    const gps = leesGps(await bestand.slice(0, 256 * 1024).arrayBuffer());
    if (gps) { fotoGps = gps; break; }
  }
  $('foto-gps').hidden = !(fotoGps && !latVeld.value);
  bewaar();
}

// --- Drafts and sending when the connection is back -------------------------------------------------

const VELDEN = ['IdempotentieSleutel', 'Lat', 'Lon', 'Plek', 'Rubriek', 'Omschrijving', 'VoorgevallenOp', 'MelderType', 'Bedrijfsnaam', 'Email'];
// Drafts of this version carry an idempotency key made in the browser when the draft was started.
const VERSIE = 2;
let bewaarTimer;
const sleutelVeld = () => form.elements.namedItem('Invoer.IdempotentieSleutel');

function verzamel() {
  const data = new FormData(form);
  const velden = {};
  for (const v of VELDEN) velden[v] = data.get(`Invoer.${v}`) ?? '';
  // The answers to the category's questions travel with the draft (the outbox posts every field).
  velden.VragenVoor = data.get('Invoer.VragenVoor') ?? '';
  for (const [naam, waarde] of data) {
    if (naam.startsWith('Invoer.Antwoorden[') && typeof waarde === 'string') velden[naam.slice(7)] = waarde;
  }
  return { velden, fotos: [...$('fotos').files], bijgewerkt: Date.now(), versie: VERSIE };
}

function bewaar() {
  clearTimeout(bewaarTimer);
  bewaarTimer = setTimeout(async () => {
    try {
      await bewaarConcept(CONCEPT, verzamel());
    } catch { /* private mode without IndexedDB: the form still works */ }
  }, 300);
}

async function vulFormulier(concept) {
  const v = concept.velden;
  const zet = (naam, waarde) => { const el = form.elements.namedItem(`Invoer.${naam}`); if (el && waarde && !el.value) el.value = waarde; };
  sleutelVeld().value = concept.versie === VERSIE && v.IdempotentieSleutel ? v.IdempotentieSleutel : nieuweSleutel();
  ['Omschrijving', 'VoorgevallenOp', 'Bedrijfsnaam', 'Email', 'Plek'].forEach((n) => zet(n, v[n]));
  for (const naam of ['Rubriek', 'MelderType']) {
    const keuze = v[naam] && form.querySelector(`input[name="Invoer.${naam}"][value="${CSS.escape(v[naam])}"]`);
    if (keuze) keuze.checked = true;
  }
  if (concept.fotos?.length && 'DataTransfer' in window) {
    try {
      const dt = new DataTransfer();
      concept.fotos.forEach((f) => dt.items.add(f instanceof File ? f : new File([f], 'foto.jpg', { type: f.type })));
      $('fotos').files = dt.files;
    } catch { /* older browsers cannot set files */ }
  }
  toonAdvies();
  for (const [naam, waarde] of Object.entries(v)) {
    if (!naam.startsWith('Antwoorden[') || !waarde) continue;
    const velden = [...form.querySelectorAll('.stap--vragen:not([hidden]) [name]')].filter((el) => el.name === `Invoer.${naam}`);
    velden.forEach((el) => { if (el.type === 'radio') el.checked = el.value === waarde; else if (!el.value) el.value = waarde; });
  }
  toonStop();
  if (v.Lat && v.Lon) await kiesPlek(Number(v.Lat), Number(v.Lon), v.Plek || undefined);
}

/** An empty form for the next report, with its own fresh idempotency key. */
function nieuwFormulier() {
  clearTimeout(bewaarTimer);
  form.reset();
  latVeld.value = '';
  lonVeld.value = '';
  if (speld) { speld.remove(); speld = null; }
  plekStatus.textContent = '';
  plekStatus.classList.remove('plek--fout');
  fotoGps = null;
  $('foto-gps').hidden = true;
  $('dubbel').hidden = true;
  sleutelVeld().value = nieuweSleutel();
  toonAdvies();
}

async function herstel() {
  // A server-rendered form after a failed submit holds the melder's input and that draft's key: keep both.
  if (form.querySelector('.fout')) return;
  let concept = null;
  try { concept = await leesConcept(CONCEPT); } catch (e) { console.error('concept', e); }
  // Every new draft gets its own key, made here: the form may come from the offline cache, with the
  // key of a form loaded earlier (perhaps already used by a report that was sent).
  if (!concept?.velden || latVeld.value) { sleutelVeld().value = nieuweSleutel(); return; }
  await vulFormulier(concept);
  if (concept.wachtrij) {
    // Queued by an earlier version of this script: into the outbox like any other.
    await inWachtrij({ ...concept, velden: { ...concept.velden, IdempotentieSleutel: sleutelVeld().value }, versie: VERSIE });
    await wisConcept(CONCEPT);
    nieuwFormulier();
    return;
  }
  const tijd = new Date(concept.bijgewerkt).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
  meldConcept(`${conceptStatus.dataset.hersteld || 'Uw concept is teruggezet'} (${tijd}).`, true);
}

function meldConcept(boodschap, metWissen) {
  conceptStatus.textContent = boodschap;
  if (metWissen) {
    const knop = document.createElement('button');
    knop.type = 'button';
    knop.className = 'knop knop--link';
    knop.textContent = conceptStatus.dataset.wissen || 'Concept wissen';
    knop.addEventListener('click', async () => {
      await wisConcept(CONCEPT);
      window.location.assign('/melden');
    });
    conceptStatus.append(' ', knop);
  }
}

const WACHT = () => conceptStatus.dataset.wacht || 'Geen verbinding. Uw melding is bewaard en wordt verstuurd zodra u weer verbinding heeft.';

/** Asks the service worker to send the outbox when the connection is back, also with this page closed. */
function registreerSync() {
  if (!('serviceWorker' in navigator) || !('SyncManager' in window)) return;
  navigator.serviceWorker.ready.then((r) => r.sync.register('meldingen-versturen')).catch(() => {});
}

let bezig = false;
/** Sends the reports waiting in the outbox (written offline here, or on an earlier visit). */
async function verstuurWachtrij() {
  if (bezig || !navigator.onLine) return;
  bezig = true;
  try {
    const wacht = await wachtend().catch(() => []);
    if (wacht.some((c) => c && !c.afgewezen)) {
      meldConcept(conceptStatus.dataset.versturen || 'De verbinding is terug. Uw melding wordt verstuurd…', false);
      try {
        await verstuurAlles();
      } catch {
        meldConcept(WACHT(), false);
        return;
      }
    }
    // A report the server refused: back into the form and submitted the ordinary way, so its
    // messages show beside the fields (unless the melder is writing another one right now).
    const afgewezen = (await wachtend().catch(() => [])).find((c) => c?.afgewezen);
    if (afgewezen && !formulierIngevuld()) {
      await bewaarConcept(CONCEPT, { ...afgewezen, afgewezen: false, wachtrij: false });
      await wisWachtend(afgewezen.velden.IdempotentieSleutel);
      await vulFormulier(afgewezen);
      form.submit();
      return;
    }
    await toonVerzonden();
  } finally {
    bezig = false;
  }
}

const formulierIngevuld = () => Boolean(latVeld.value || $('omschrijving').value.trim());

/** Tells the melder which waiting reports were sent, with their tracking codes. */
async function toonVerzonden() {
  const klaar = (await verzonden().catch(() => [])).filter(Boolean).sort((a, b) => a.verzonden - b.verzonden);
  if (!klaar.length) return;
  if (klaar.length === 1 && !formulierIngevuld()) {
    await wisVerzonden(klaar[0].sleutel);
    window.location.assign(klaar[0].url);
    return;
  }
  conceptStatus.textContent = `${conceptStatus.dataset.verzonden || 'Uw bewaarde meldingen zijn verstuurd. Volgcodes:'} `;
  klaar.forEach((r, i) => {
    const a = document.createElement('a');
    a.href = r.prive || `/melding/${encodeURIComponent(r.volgcode)}`;
    a.className = 'verzonden-code';
    a.textContent = r.volgcode;
    conceptStatus.append(...(i ? [', '] : []), a);
  });
  conceptStatus.append('.');
  for (const r of klaar) await wisVerzonden(r.sleutel).catch(() => {});
}

function initVersturen() {
  form.addEventListener('submit', async (e) => {
    if (navigator.onLine) { bewaar(); return; }
    e.preventDefault();
    clearTimeout(bewaarTimer);
    const concept = verzamel();
    if (!concept.velden.IdempotentieSleutel) concept.velden.IdempotentieSleutel = nieuweSleutel();
    try {
      await inWachtrij(concept);
      await wisConcept(CONCEPT);
    } catch {
      meldConcept(WACHT(), false);
      return;
    }
    registreerSync();
    // The next report starts empty, with a key of its own.
    nieuwFormulier();
    meldConcept(WACHT(), false);
  });
  window.addEventListener('online', () => verstuurWachtrij());
}

// --- Category suggestion while typing the description (issue 18) -----------------------------------

let suggestieTimer;
function zoekSuggestie() {
  clearTimeout(suggestieTimer);
  suggestieTimer = setTimeout(async () => {
    const vak = $('suggestie');
    const tekst = $('omschrijving').value.trim();
    if (!vak || tekst.length < 15 || !navigator.onLine) { if (vak) vak.hidden = true; return; }
    try {
      const r = await fetch(form.dataset.suggestieUrl, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tekst }),
      });
      const { rubriek } = r.ok ? await r.json() : {};
      const keuze = rubriek && form.querySelector(`input[name="Invoer.Rubriek"][value="${CSS.escape(rubriek)}"]`);
      if (!keuze || keuze.checked) { vak.hidden = true; return; }
      const naam = form.querySelector(`label[for="${keuze.id}"] .keuze__naam`)?.textContent ?? rubriek;
      $('suggestie-naam').textContent = naam;
      vak.dataset.rubriek = rubriek;
      vak.hidden = false;
    } catch { vak.hidden = true; }
  }, 600);
}

function initSuggestie() {
  const vak = $('suggestie');
  if (!vak) return;
  $('omschrijving').addEventListener('input', zoekSuggestie);
  $('suggestie-kiezen').addEventListener('click', () => {
    const keuze = form.querySelector(`input[name="Invoer.Rubriek"][value="${CSS.escape(vak.dataset.rubriek)}"]`);
    if (!keuze) return;
    keuze.checked = true;
    keuze.dispatchEvent(new Event('change', { bubbles: true }));
    vak.hidden = true;
    keuze.focus();
  });
}

// --- Start ------------------------------------------------------------------------------------------

function start() {
  if (!form) return;
  form.querySelectorAll('.advies').forEach((a) => { a.hidden = true; });
  initKaart();
  initLocatie();
  initAdres();
  toonAdvies();
  form.addEventListener('change', (e) => {
    if (e.target.name === 'Invoer.Rubriek') { toonAdvies(); zoekDubbel(); }
    if (e.target.name?.startsWith('Invoer.Antwoorden[')) toonStop();
    if (e.target.id === 'fotos') bekijkFotos();
    bewaar();
  });
  form.addEventListener('input', () => bewaar());
  $('foto-gps-gebruiken').addEventListener('click', () => { if (fotoGps) kiesPlek(fotoGps.lat, fotoGps.lon); });
  if (latVeld.value && lonVeld.value) kiesPlek(Number(latVeld.value), Number(lonVeld.value), adres.value || undefined);
  initVersturen();
  initSuggestie();
  herstel().finally(() => {
    form.dataset.klaar = 'true';
    // Reports left waiting on an earlier visit go now (where Background Sync did not already send them).
    verstuurWachtrij();
  });
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
  $('foutoverzicht')?.focus();
}

start();
