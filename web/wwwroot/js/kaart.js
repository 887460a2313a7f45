// /kaart: the wijk and buurt boundaries from PostGIS on a Leaflet map.
// Settings come from data-* attributes (the Content-Security-Policy forbids inline scripts).
const element = document.getElementById('kaart');
const status = document.getElementById('kaart-status');
const L = window.L;

function meld(tekst) {
  if (status) status.textContent = tekst;
}

async function laadGrenzen(url, niveau) {
  const response = await fetch(`${url}?niveau=${niveau}`, { headers: { Accept: 'application/geo+json' } });
  if (!response.ok) throw new Error(`grenzen ${niveau}: HTTP ${response.status}`);
  return response.json();
}

async function start() {
  if (!element || !L) return;
  element.querySelector('.kaart__geen-script')?.remove();
  const d = element.dataset;
  const kaart = L.map(element, { zoomSnap: 0.5, maxZoom: Number(d.maxZoom) || 19 });
  kaart.attributionControl.setPrefix(false);
  kaart.attributionControl.addAttribution(d.grenzenAttributie);
  kaart.setView([52.343, 4.615], 13);

  if (d.tegelUrl) {
    L.tileLayer(d.tegelUrl, { attribution: d.tegelAttributie, maxZoom: Number(d.maxZoom) || 19 }).addTo(kaart);
  }

  meld(status?.dataset.laden ?? '');
  try {
    const [buurten, wijken] = await Promise.all([
      laadGrenzen(d.grenzenUrl, 'buurt'),
      laadGrenzen(d.grenzenUrl, 'wijk'),
    ]);
    const buurtLaag = L.geoJSON(buurten, {
      style: { color: '#00594f', weight: 2, dashArray: '6 4', fillColor: '#00594f', fillOpacity: 0.06 },
      onEachFeature: (feature, laag) => {
        laag.bindTooltip(`${feature.properties.naam} (${feature.properties.code})`, { className: 'kaart__tooltip', sticky: true });
      },
    }).addTo(kaart);
    L.geoJSON(wijken, {
      interactive: false,
      style: { color: '#003d36', weight: 4, fill: false },
    }).addTo(kaart);
    kaart.fitBounds(buurtLaag.getBounds(), { padding: [8, 8] });
    element.dataset.geladen = `${wijken.features.length} wijken, ${buurten.features.length} buurten`;
    meld((status?.dataset.geladen ?? '{0} / {1}').replace('{0}', wijken.features.length).replace('{1}', buurten.features.length));
  } catch (fout) {
    console.error(fout);
    meld(status?.dataset.mislukt ?? '');
  }
}

start();
