import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from './context';
import type { MapPoint } from './map-view';

export type { MapPoint };

/**
 * Runs `fn` once the browser has painted what was just rendered and has a quiet moment: the
 * frame after this one (requestAnimationFrame, then a task), then an idle period
 * (requestIdleCallback, at most `timeout` ms later; Safari has none, so a short timer there).
 * Returns what cancels it.
 */
export function afterPaint(fn: () => void, timeout = 2000): () => void {
  let cancelled = false;
  let cancel = () => {};
  const frame = requestAnimationFrame(() => {
    const timer = setTimeout(() => {
      if (cancelled) return;
      if (typeof requestIdleCallback === 'function') {
        const idle = requestIdleCallback(() => !cancelled && fn(), { timeout });
        cancel = () => cancelIdleCallback(idle);
      } else {
        const later = setTimeout(() => !cancelled && fn(), 50);
        cancel = () => clearTimeout(later);
      }
    }, 0);
    cancel = () => clearTimeout(timer);
  });
  cancel = () => cancelAnimationFrame(frame);
  return () => {
    cancelled = true;
    cancel();
  };
}

/**
 * A map above a list that says the same: hidden from assistive technologies (the list is the
 * accessible view), never in the Tab order, its caption saying what it shows and, with tiles,
 * their attribution. The map's box is drawn at once at its final size (`.map-canvas`), so
 * nothing moves when Leaflet arrives; Leaflet itself (a 42 KB gzipped chunk, the page's
 * heaviest script) is fetched only after the list has been painted and the browser is idle,
 * and the map is drawn in a task of its own after the chunk has run, so that neither delays the
 * list (the page's largest paint) nor makes one long task of both (docs/benchmarks.md,
 * "Lighthouse"). If it cannot load (offline before it was ever cached), the page keeps its list
 * and shows no map.
 */
export function PointsMap({ points, label }: { points: MapPoint[]; label: string }) {
  const { config, t } = useApp();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(points);
  useEffect(() => {
    let live = true;
    let remove: (() => void) | undefined;
    let cancelDraw = () => {};
    const cancelLoad = afterPaint(() => {
      import('./map-view').then(
        (m) => {
          const draw = () => {
            if (live && ref.current) remove = m.drawMap(ref.current, points, config.mapBox, config.tiles, config.territory.colours);
          };
          const timer = setTimeout(draw, 0);
          cancelDraw = () => clearTimeout(timer);
        },
        (e: unknown) => {
          console.error('map', e);
          if (live) setFailed(true);
        },
      );
    });
    return () => {
      live = false;
      cancelLoad();
      cancelDraw();
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
