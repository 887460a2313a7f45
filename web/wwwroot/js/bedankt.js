// The confirmation page removes the draft that produced this report.
import { leesConcept, wisConcept } from './concept.js';

const sleutel = document.getElementById('bedankt')?.dataset.idempotentie;
if (sleutel && 'indexedDB' in window) {
  leesConcept('melden').then((concept) => {
    if (concept && concept.velden && concept.velden.IdempotentieSleutel === sleutel) return wisConcept('melden');
    return undefined;
  }).catch(() => {});
}
