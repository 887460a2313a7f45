// The municipality's house style and the map's start, as the layout hands them to every page: the
// colours are the --huisstijl-color-* tokens of /huisstijl.css (from the municipality profile), the
// start view is <body data-kaart-start="lat,lon,zoom"> (the municipality's boundary, else the profile's view).
export function kleur(naam) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--huisstijl-color-${naam}`).trim();
}

export function kaartStart() {
  const [lat, lon, zoom] = (document.body.dataset.kaartStart ?? '').split(',').map(Number);
  return { midden: [lat, lon], zoom };
}

/** The maps' credit for the boundaries ("Grenzen: © Kadaster / CBS, 2024"), from the municipality
 * profile via <body data-grenzen-bron>, as text (Leaflet's attribution takes HTML). */
export function grenzenBron() {
  const span = document.createElement('span');
  span.textContent = document.body.dataset.grenzenBron ?? '';
  return span.innerHTML;
}
