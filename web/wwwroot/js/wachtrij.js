// Drafts of the report form and the outbox of reports written without a connection, in IndexedDB.
// A classic script on purpose: the page imports it (through concept.js) and the service worker loads
// it with importScripts, so both send a waiting report the same way. It defines self.WijkWachtrij.
//
// Keys in the store: 'melden' is the draft being written; 'wachtrij:<id>' a report sent while
// offline, waiting; 'verzonden:<id>' the result of one sent later (tracking code, private link), kept
// until the page has shown it. <id> is the draft's own idempotency key, made in the browser when
// the draft was started, so two reports written offline are never taken for one.
(function (g) {
  'use strict';
  const DB = 'wijkmeldingen';
  const STORE = 'concepten';
  const WACHT = 'wachtrij:';
  const VERZONDEN = 'verzonden:';

  function open(versie) {
    return new Promise((resolve, reject) => {
      const verzoek = versie ? indexedDB.open(DB, versie) : indexedDB.open(DB);
      verzoek.onupgradeneeded = () => {
        if (!verzoek.result.objectStoreNames.contains(STORE)) verzoek.result.createObjectStore(STORE);
      };
      verzoek.onsuccess = () => {
        const db = verzoek.result;
        if (db.objectStoreNames.contains(STORE)) { resolve(db); return; }
        // A database without our store (created elsewhere on this origin): add it in a new version.
        const volgende = db.version + 1;
        db.close();
        open(volgende).then(resolve, reject);
      };
      verzoek.onerror = () => reject(verzoek.error);
    });
  }

  async function metStore(modus, werk) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, modus);
        const resultaat = werk(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(resultaat?.result);
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const bewaar = (sleutel, waarde) => metStore('readwrite', (s) => s.put(waarde, sleutel));
  const lees = (sleutel) => metStore('readonly', (s) => s.get(sleutel));
  const wis = (sleutel) => metStore('readwrite', (s) => s.delete(sleutel));
  const sleutelsMet = async (begin) => ((await metStore('readonly', (s) => s.getAllKeys())) || [])
    .filter((k) => typeof k === 'string' && k.startsWith(begin));

  /** A fresh idempotency key (a version 4 UUID) for a new draft. */
  function nieuweSleutel() {
    if (g.crypto.randomUUID) return g.crypto.randomUUID();
    const b = g.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** Puts a finished draft in the outbox under its own key. */
  const inWachtrij = (concept) => bewaar(WACHT + concept.velden.IdempotentieSleutel, { ...concept, wachtrij: true });

  /** A fresh antiforgery token: the form cached for offline use may carry an old one. */
  async function verseToken() {
    const r = await fetch('/melden', { credentials: 'same-origin', cache: 'no-store' });
    if (!r.ok) throw new Error(`/melden: ${r.status}`);
    const veld = /<input[^>]*name="__RequestVerificationToken"[^>]*>/.exec(await r.text())?.[0] ?? '';
    const waarde = /value="([^"]*)"/.exec(veld)?.[1];
    if (!waarde) throw new Error('/melden: no antiforgery token');
    return waarde.replace(/&#x2B;/gi, '+').replace(/&#x2F;/gi, '/').replace(/&#x3D;/gi, '=').replace(/&amp;/g, '&');
  }

  /** Sends one waiting report. The result when it was stored; null when the server refused the
   *  input (the entry is marked for the page to show the ordinary way); throws when unreachable. */
  async function verstuur(sleutel) {
    const concept = await lees(sleutel);
    if (!concept?.velden) { await wis(sleutel); return null; }
    if (concept.afgewezen) return null;
    const data = new FormData();
    for (const [naam, waarde] of Object.entries(concept.velden)) data.append(`Invoer.${naam}`, waarde ?? '');
    for (const foto of concept.fotos ?? []) data.append('Invoer.Fotos', foto, foto.name || 'foto.jpg');
    data.append('__RequestVerificationToken', await verseToken());
    const r = await fetch('/melden', { method: 'POST', body: data, credentials: 'same-origin' });
    const pad = new URL(r.url).pathname;
    if (r.redirected && pad.startsWith('/melden/bedankt/')) {
      // The confirmation page shows the private link once; keep it for the melder.
      const prive = /id="prive-link" href="([^"]+)"/.exec(await r.text())?.[1] ?? null;
      const resultaat = {
        sleutel: concept.velden.IdempotentieSleutel,
        volgcode: decodeURIComponent(pad.split('/')[3] || ''),
        url: r.url,
        prive: prive && prive.replace(/&amp;/g, '&'),
        verzonden: Date.now(),
      };
      await bewaar(VERZONDEN + resultaat.sleutel, resultaat);
      await wis(sleutel);
      return resultaat;
    }
    if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
      await bewaar(sleutel, { ...concept, afgewezen: true });
      return null;
    }
    throw new Error(`/melden: ${r.status}`);
  }

  /** Sends every waiting report, one at a time; one sender at once (page and service worker). */
  async function verstuurAlles() {
    const werk = async () => {
      const klaar = [];
      for (const sleutel of await sleutelsMet(WACHT)) {
        const resultaat = await verstuur(sleutel);
        if (resultaat) klaar.push(resultaat);
      }
      return klaar;
    };
    return g.navigator?.locks ? g.navigator.locks.request('wijkmeldingen-wachtrij', werk) : werk();
  }

  const wachtend = async () => Promise.all((await sleutelsMet(WACHT)).map(lees));
  const verzonden = async () => Promise.all((await sleutelsMet(VERZONDEN)).map(lees));

  g.WijkWachtrij = {
    bewaar,
    lees,
    wis,
    nieuweSleutel,
    inWachtrij,
    verstuurAlles,
    wachtend,
    verzonden,
    wisWachtend: (sleutel) => wis(WACHT + sleutel),
    wisVerzonden: (sleutel) => wis(VERZONDEN + sleutel),
  };
})(self);
