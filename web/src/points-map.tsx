import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from './context';
import type { MapPoint } from './map-view';

export type { MapPoint };

/**
 * A map above a list that says the same: hidden from assistive technologies (the list is the
 * accessible view), never in the Tab order, its caption saying what it shows and, with tiles,
 * their attribution. Leaflet is loaded when the first map is shown; if it cannot load
 * (offline before it was ever cached), the page keeps its list and shows no map.
 */
export function PointsMap({ points, label }: { points: MapPoint[]; label: string }) {
  const { config, t } = useApp();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(points);
  useEffect(() => {
    let live = true;
    let remove: (() => void) | undefined;
    import('./map-view').then(
      (m) => {
        if (live && ref.current) remove = m.drawMap(ref.current, points, config.mapBox, config.tiles, config.territory.colours);
      },
      (e: unknown) => {
        console.error('map', e);
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
      remove?.();
    };
  }, [key]);
  if (failed) return null;
  const tiles = config.tiles;
  return (
    <figure class="map">
      <div ref={ref} class="map-canvas" aria-hidden="true" />
      <figcaption class="muted">
        {label} {t('map.sameAsList')}
        {tiles && (
          <>
            {' '}
            {tiles.attributionUrl ? <a href={tiles.attributionUrl}>{tiles.attribution}</a> : tiles.attribution}
          </>
        )}
      </figcaption>
    </figure>
  );
}
