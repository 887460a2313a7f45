// Drafts of the report form in IndexedDB: they survive a lost connection and a closed tab. The store
// and the outbox of reports written offline live in wachtrij.js, shared with the service worker.
import './wachtrij.js';

const w = self.WijkWachtrij;

export const bewaarConcept = w.bewaar;
export const leesConcept = w.lees;
export const wisConcept = w.wis;
export const { nieuweSleutel, inWachtrij, verstuurAlles, wachtend, verzonden, wisWachtend, wisVerzonden } = w;
