// Reads the GPS position from a JPEG's EXIF block, in the browser, before the photo is uploaded
// (the server strips all metadata). Returns {lat, lon} or null; never throws on odd files.
export function leesGps(buffer) {
  try {
    const v = new DataView(buffer);
    if (v.getUint16(0) !== 0xffd8) return null;
    let p = 2;
    while (p + 4 < v.byteLength) {
      const marker = v.getUint16(p);
      const lengte = v.getUint16(p + 2);
      if (marker === 0xffe1 && v.getUint32(p + 4) === 0x45786966) return uitTiff(v, p + 10);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;
      p += 2 + lengte;
    }
  } catch {
    return null;
  }
  return null;
}

function uitTiff(v, start) {
  const klein = v.getUint16(start) === 0x4949;
  const u16 = (o) => v.getUint16(start + o, klein);
  const u32 = (o) => v.getUint32(start + o, klein);
  const ifd0 = u32(4);
  let gpsIfd = null;
  for (let i = 0, n = u16(ifd0); i < n; i++) {
    const e = ifd0 + 2 + i * 12;
    if (u16(e) === 0x8825) gpsIfd = u32(e + 8);
  }
  if (gpsIfd === null) return null;
  const velden = {};
  for (let i = 0, n = u16(gpsIfd); i < n; i++) {
    const e = gpsIfd + 2 + i * 12;
    const tag = u16(e);
    if (tag === 1 || tag === 3) velden[tag] = String.fromCharCode(v.getUint8(start + e + 8));
    if (tag === 2 || tag === 4) {
      const o = u32(e + 8);
      const r = (k) => u32(o + k * 8) / (u32(o + k * 8 + 4) || 1);
      velden[tag] = r(0) + r(1) / 60 + r(2) / 3600;
    }
  }
  if (velden[2] === undefined || velden[4] === undefined) return null;
  const lat = velden[1] === 'S' ? -velden[2] : velden[2];
  const lon = velden[3] === 'W' ? -velden[4] : velden[4];
  return Number.isFinite(lat) && Number.isFinite(lon) && (lat !== 0 || lon !== 0) ? { lat, lon } : null;
}
