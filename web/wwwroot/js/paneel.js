// A filter panel over the map on a phone (/kaart, /wijken): a real button with aria-expanded and
// aria-controls opens and closes it; Escape closes it and gives the focus back to the button. Without
// JavaScript the button stays hidden and the form is an ordinary form above the map; from 64rem CSS
// puts the form beside the map and hides the button (the panel classes then change nothing).
export function paneel(knopId, paneelId) {
  const knop = document.getElementById(knopId);
  const vak = document.getElementById(paneelId);
  if (!knop || !vak) return;
  const zet = (open) => {
    knop.setAttribute('aria-expanded', String(open));
    vak.classList.toggle('paneel--dicht', !open);
  };
  vak.classList.add('paneel');
  zet(false);
  knop.hidden = false;
  knop.addEventListener('click', () => {
    const open = knop.getAttribute('aria-expanded') !== 'true';
    zet(open);
    if (open) vak.querySelector('select, input:not([type=hidden]), button')?.focus();
  });
  vak.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && knop.getAttribute('aria-expanded') === 'true') {
      zet(false);
      knop.focus();
    }
  });
}
