// Drafts of the report form in IndexedDB: they survive a lost connection and a closed tab.
const DB = 'wijkmeldingen';
const STORE = 'concepten';

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

export const bewaarConcept = (sleutel, concept) => metStore('readwrite', (s) => s.put(concept, sleutel));
export const leesConcept = (sleutel) => metStore('readonly', (s) => s.get(sleutel));
export const wisConcept = (sleutel) => metStore('readwrite', (s) => s.delete(sleutel));
