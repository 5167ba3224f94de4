import type { LngLat, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

type Insets = { top: number; bottom: number; left: number; right: number };

/**
 * The overlay-aware layout of the view's panel, the same for every view:
 *
 * - while the panel is a bottom sheet (a phone), the map's padding is the height it covers, so the
 *   map's centre — where `flyTo`, `fitBounds` and `getCenter` aim — is the middle of the part of the
 *   map one can see, above the panel. The change of padding keeps what is on screen where it is.
 *   The covered height is also the CSS property `--view-panel-covered` (the map's bottom controls
 *   sit above it, styles.css);
 * - a tap's result comes into view: when the panel grows over the place just tapped, the map eases
 *   it back above the panel; and an element marked `data-panel-result` whose content changes after a
 *   tap is scrolled into the panel's visible part (views mark where their tap results go).
 *
 * The floating controls' strip at the bottom (the SOS button) is reserved by CSS (`--float-reserve`).
 */
export function followViewPanel(map: MapLibreMap, panel: HTMLElement): { destroy(): void } {
  const container = map.getContainer();
  const layoutRoot = container.parentElement ?? container;
  /** A tap counts as the cause of what the panel shows for this long. */
  const tapResultMs = 15_000;
  /** The tapped place stays at least this far from the panel's top and the map's edges. */
  const margin = 32;
  let lastTap: { lngLat: LngLat; at: number } | undefined;
  let waitingForMoveEnd = false;
  /** The tap result last scrolled into sight: again when the panel changes size (a sheet that grows). */
  let revealed: HTMLElement | undefined;

  const recentTap = () => (lastTap && Date.now() - lastTap.at < tapResultMs ? lastTap : undefined);

  /** How much of the map's height the panel covers from the bottom, when it is a bottom sheet; else 0. */
  const coveredHeight = (): number => {
    if (!panel.isConnected || getComputedStyle(panel).display === 'none') return 0;
    const mapBox = container.getBoundingClientRect();
    const box = panel.getBoundingClientRect();
    const isBottomSheet = box.height > 0 && box.bottom >= mapBox.bottom - 1 && box.width >= mapBox.width * 0.9;
    if (!isBottomSheet) return 0;
    // A sliver of map is kept for the centre even under a tall sheet.
    return Math.max(0, Math.min(mapBox.height - 2 * margin, Math.round(mapBox.bottom - box.top)));
  };

  /** Eases the map so the place just tapped is in the visible part, if the panel now covers it. */
  const keepTapVisible = (padding: Insets) => {
    const tap = recentTap();
    if (!tap || map.isMoving()) return;
    const point = map.project(tap.lngLat);
    const top = padding.top + margin;
    const bottom = container.clientHeight - padding.bottom - margin;
    if (bottom <= top || (point.y >= top && point.y <= bottom)) return;
    map.easeTo({ center: tap.lngLat, duration: matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 300 });
  };

  const apply = () => {
    if (revealed && recentTap() && panel.contains(revealed)) revealInPanel(panel, revealed);
    const covered = coveredHeight();
    layoutRoot.style.setProperty('--view-panel-covered', `${covered}px`);
    const { top = 0, bottom = 0, left = 0, right = 0 } = map.getPadding();
    const padding: Insets = { top, bottom, left, right };
    if (Math.abs(padding.bottom - covered) < 1) return keepTapVisible(padding);
    // Changing the padding would stop a flight under way: after it, then.
    if (map.isMoving()) {
      if (!waitingForMoveEnd) {
        waitingForMoveEnd = true;
        map.once('moveend', () => {
          waitingForMoveEnd = false;
          apply();
        });
      }
      return;
    }
    const next: Insets = { ...padding, bottom: covered };
    // The place at the new padded centre becomes the centre: nothing moves on screen.
    const width = container.clientWidth;
    const height = container.clientHeight;
    const centre = map.unproject([next.left + (width - next.left - next.right) / 2, next.top + (height - next.top - next.bottom) / 2]);
    map.jumpTo({ center: centre, padding: next });
    keepTapVisible(next);
  };

  const onClick = (event: MapMouseEvent) => {
    lastTap = { lngLat: event.lngLat, at: Date.now() };
  };
  // Moving the map by hand ends the tap's claim: the map is not moved back to it.
  const onMoveStart = (event: { originalEvent?: Event }) => {
    if (event.originalEvent) lastTap = undefined;
  };
  map.on('click', onClick);
  map.on('movestart', onMoveStart);

  const resizeObserver = new ResizeObserver(() => apply());
  resizeObserver.observe(panel);
  resizeObserver.observe(container);

  // A view's tap result (marked `data-panel-result`) changed after a tap: scroll it into sight.
  const mutationObserver = new MutationObserver((records) => {
    if (!recentTap()) return;
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const result =
        target?.closest<HTMLElement>('[data-panel-result]') ??
        [...record.addedNodes].flatMap((node) => (node instanceof HTMLElement ? [node.matches('[data-panel-result]') ? node : node.querySelector<HTMLElement>('[data-panel-result]')] : [])).find((node) => node !== null);
      if (result && result.childNodes.length > 0 && panel.contains(result)) {
        revealed = result;
        revealInPanel(panel, result);
        return;
      }
    }
  });
  mutationObserver.observe(panel, { childList: true, subtree: true, characterData: true });

  return {
    destroy() {
      resizeObserver.disconnect();
      mutationObserver.disconnect();
      map.off('click', onClick);
      map.off('movestart', onMoveStart);
    },
  };
}

/**
 * Scrolls the panel so that `element` is in its visible part: its top at the panel's top when it is
 * not wholly in sight (a result taller than the panel shows its beginning).
 */
export function revealInPanel(panel: HTMLElement, element: HTMLElement): void {
  const box = element.getBoundingClientRect();
  const view = panel.getBoundingClientRect();
  const top = view.top + panel.clientTop;
  const bottom = top + panel.clientHeight;
  if (box.top >= top && box.bottom <= bottom) return;
  const gap = Number.parseFloat(getComputedStyle(panel).scrollPaddingTop) || 0;
  panel.scrollTop += box.top - top - gap;
}
