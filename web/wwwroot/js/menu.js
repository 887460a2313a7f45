// The header menu on a phone: folded behind a real button (aria-expanded, aria-controls); Escape closes
// it and gives the focus back to the button. Without JavaScript the button stays hidden and the link
// beside it leads to the same menu in the footer. On wider screens CSS shows the menu and hides both.
const knop = document.getElementById('menu-knop');
const menu = document.getElementById('hoofdmenu');
const naarVoet = document.getElementById('naar-voetmenu');

function zet(open) {
  knop.setAttribute('aria-expanded', String(open));
  menu.classList.toggle('kop__menu--open', open);
}

if (knop && menu) {
  knop.hidden = false;
  if (naarVoet) naarVoet.hidden = true;
  menu.classList.add('kop__menu--inklapbaar');
  zet(false);
  knop.addEventListener('click', () => zet(knop.getAttribute('aria-expanded') !== 'true'));
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && knop.getAttribute('aria-expanded') === 'true') {
      zet(false);
      knop.focus();
    }
  });
  knop.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') zet(false);
  });
}
