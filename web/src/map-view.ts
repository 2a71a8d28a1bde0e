/**
 * The Leaflet part of the maps, loaded only when a page shows a map (a dynamic import from
 * points-map.tsx), so Leaflet and its stylesheet stay out of the initial JavaScript. Nothing in
 * it takes the focus: the container is hidden from assistive technologies and the list beside
 * it is the accessible view (docs/decisions.md, "Maps are lists first").
 */
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Colours, Tiles } from './config';

export interface MapPoint {
  lat: number;
  lon: number;
  kind: 'report' | 'resource' | 'project';
}

/** Draws the points in the territory's box; returns what removes the map. */
export function drawMap(el: HTMLElement, points: MapPoint[], box: [number, number, number, number], tiles: Tiles | undefined, colours: Colours): () => void {
  const [west, south, east, north] = box;
  // No keyboard handler, zoom buttons, attribution links or interactive markers: nothing focusable inside a
  // container that is aria-hidden (axe's aria-hidden-focus). Scroll-wheel zoom off so the page scrolls past the map.
  const map = L.map(el, { zoomControl: false, attributionControl: false, keyboard: false, scrollWheelZoom: false, boxZoom: false });
  if (tiles) L.tileLayer(tiles.url, { maxZoom: tiles.maxZoom ?? 19 }).addTo(map);
  // The territory's outline, so that points without tiles still sit somewhere readable.
  L.rectangle([[south, west], [north, east]], { interactive: false, color: colours.primary, weight: 2, fill: !tiles, fillColor: '#ffffff', fillOpacity: 1 }).addTo(map);
  const bounds = L.latLngBounds([[south, west], [north, east]]);
  for (const p of points) {
    const latLng = L.latLng(p.lat, p.lon);
    bounds.extend(latLng);
    L.circleMarker(latLng, {
      interactive: false,
      radius: 8,
      weight: 2,
      color: '#ffffff',
      fillColor: p.kind === 'report' ? colours.accent : colours.primary,
      fillOpacity: 1,
    }).addTo(map);
  }
  map.fitBounds(bounds, { padding: [16, 16] });
  return () => map.remove();
}
