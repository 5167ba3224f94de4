import type { Map as MapLibreMap } from 'maplibre-gl';
import { setOverlayVisibility, type LegendEntry, type MapOverlay, type OverlayId } from '../map/map-overlay.ts';
import { h, replaceChildren } from './dom.ts';
import { onLanguageChange, t } from './i18n.ts';

export interface LayerPanel {
  isVisible(id: OverlayId): boolean;
  setVisible(id: OverlayId, visible: boolean): void;
  onChange(listener: (id: OverlayId, visible: boolean) => void): void;
}

/**
 * The layer switcher and the legend: one checkbox per overlay (disabled, "no data yet", when the
 * platform does not serve its tiles), and the legend of the overlays that are on.
 */
export function createLayerPanel(container: HTMLElement, map: MapLibreMap, overlays: readonly MapOverlay[], available: ReadonlySet<OverlayId>, initiallyVisible: Set<OverlayId>): LayerPanel {
  const visible = new Set([...initiallyVisible].filter((id) => available.has(id)));
  const listeners: ((id: OverlayId, visible: boolean) => void)[] = [];

  const render = () => {
    const switcher = h(
      'fieldset',
      { className: 'layer-switcher' },
      h('legend', {}, t('layers.title')),
      overlays.map((overlay) => {
        const id = `layer-toggle-${overlay.id}`;
        const enabled = available.has(overlay.id);
        const input = h('input', { type: 'checkbox', id, name: 'overlay', value: overlay.id, checked: visible.has(overlay.id), disabled: !enabled });
        input.addEventListener('change', () => panel.setVisible(overlay.id, input.checked));
        return h(
          'div',
          { className: `layer-option${enabled ? '' : ' is-unavailable'}` },
          input,
          h('label', { for: id }, t(overlay.labelKey), enabled ? null : h('span', { className: 'layer-note' }, ` (${t('layers.unavailable')})`)),
        );
      }),
    );
    const entries = overlays.filter((overlay) => visible.has(overlay.id)).flatMap((overlay) => overlay.legend());
    const legend = h('section', { className: 'legend', 'aria-labelledby': 'legend-title' }, h('h2', { id: 'legend-title' }, t('legend.title')), h('ul', {}, entries.map(renderLegendEntry)));
    replaceChildren(container, switcher, legend);
  };

  const panel: LayerPanel = {
    isVisible: (id) => visible.has(id),
    setVisible(id, show) {
      if (!available.has(id)) return;
      if (show) visible.add(id);
      else visible.delete(id);
      setOverlayVisibility(map, { id }, show);
      const checkbox = container.querySelector<HTMLInputElement>(`#layer-toggle-${id}`);
      if (checkbox && checkbox.checked !== show) checkbox.checked = show;
      const focused = document.activeElement?.id;
      render();
      // Re-rendering replaced the checkbox that had the focus: give it back.
      if (focused) document.getElementById(focused)?.focus();
      for (const listener of listeners) listener(id, show);
    },
    onChange: (listener) => void listeners.push(listener),
  };
  render();
  onLanguageChange(render);
  return panel;
}

function renderLegendEntry(entry: LegendEntry): HTMLLIElement {
  if (entry.swatch.kind === 'icon') return h('li', {}, h('img', { className: 'swatch swatch-icon', src: entry.swatch.image, alt: '', width: 20, height: 20 }), t(entry.labelKey));
  const { kind, colour, outline } = entry.swatch;
  const style =
    kind === 'fill'
      ? `background:${colour};border:1px solid ${outline ?? 'rgba(0,0,0,.25)'}`
      : kind === 'dot'
        ? `background:${colour};border:2px solid ${outline ?? '#fff'}`
        : `border-top:3px ${kind === 'dashed' ? 'dashed' : 'solid'} ${colour}`;
  return h('li', {}, h('span', { className: `swatch swatch-${kind}`, style, 'aria-hidden': 'true' }), t(entry.labelKey));
}
