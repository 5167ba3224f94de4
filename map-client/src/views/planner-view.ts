import type { ComparedAttribute, Plan, PlanChanges, PlanList, WhatAppliesHere, ZoneAtPoint, ZoneChange } from '@bandoso/contracts';
import type { MapMouseEvent } from 'maplibre-gl';
import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatArea, formatDate, formatNumber, i18nAttributes, isMessageKey, onLanguageChange, t, type MessageKey } from '../app/i18n.ts';
import { mountMeasureTool } from '../features/measure-tool.ts';
import { openCameraAt } from '../overlays/cameras-overlay.ts';
import { highlightChangedZones, highlightSelectedZone, showPlanningVersion } from '../overlays/planning-overlay.ts';
import type { AppView, ViewContext } from './view.ts';

/** api/src/modules/planning's answers are the server's contract (@bandoso/contracts). */
type Details = { status: 'none' } | { status: 'loading' } | { status: 'loaded'; zones: ZoneAtPoint[] } | { status: 'failed'; error: unknown };

const attributeLabels: Record<ComparedAttribute, MessageKey> = {
  zoneName: 'planning.zone',
  landUseCode: 'planning.landUse',
  landUseName: 'planning.landUse',
  maxDensityPct: 'planning.density',
  maxFloors: 'planning.floors',
  maxHeightM: 'planning.height',
  far: 'planning.far',
};

/**
 * The planners' view: zones coloured by land use, one plan version at a time, the zones that
 * changed since the previous version highlighted, "what applies here" on a tap, and measuring.
 */
export async function enterPlannerView({ map, panel, layers, announce }: ViewContext): Promise<AppView> {
  const wasVisible = layers.isVisible('planning');
  layers.setVisible('planning', true);

  const controls = h('div', { className: 'planner-controls' });
  // A tap's result: the panel scrolls it into sight, the map keeps the place above the panel (app/panel-layout.ts).
  const details = h('section', { className: 'zone-details', 'aria-live': 'polite', 'aria-labelledby': 'zone-details-title', 'data-panel-result': '' });
  const measureContainer = h('div', { className: 'measure-tool' });
  replaceChildren(panel, h('h2', i18nAttributes('planning.title'), t('planning.title')), controls, details, measureContainer);
  const measureTool = mountMeasureTool(measureContainer, map);

  let plans: Plan[] = [];
  let plan: Plan | undefined;
  let version = '';
  let showChanges = true;
  let changes: ZoneChange[] = [];
  let detailsState: Details = { status: 'none' };
  let lastPoint: [number, number] | undefined;
  let left = false;

  const previousVersion = () => {
    if (!plan) return undefined;
    const index = plan.versions.findIndex((item) => item.version === version);
    return index > 0 ? plan.versions[index - 1]!.version : undefined;
  };

  const renderControls = () => {
    if (!plan) {
      replaceChildren(controls, h('p', { className: 'muted' }, t('planning.loading')));
      return;
    }
    const select = h(
      'select',
      { id: 'planning-version' },
      plan.versions.map((item) => h('option', { value: item.version, selected: item.version === version }, t('planning.versionOption', { version: item.version, decision: item.decisionNumber }))),
    );
    select.addEventListener('change', () => void selectVersion(select.value));
    const previous = previousVersion();
    const toggle = h('input', { type: 'checkbox', id: 'planning-show-changes', checked: showChanges, disabled: !previous });
    toggle.addEventListener('change', () => {
      showChanges = toggle.checked;
      void loadChanges();
    });
    replaceChildren(
      controls,
      h('p', {}, h('strong', {}, t('planning.plan')), ': ', plan.planName),
      h('label', { for: 'planning-version' }, t('planning.version')),
      select,
      previous
        ? h('div', { className: 'check' }, toggle, h('label', { for: 'planning-show-changes' }, t('planning.showChanges', { version: previous })))
        : null,
      previous && showChanges
        ? h('p', { className: 'muted changes-summary' }, changes.length ? t('planning.changesSummary', { count: changes.length, version: previous }) : t('planning.noChanges', { version: previous }))
        : null,
      h('p', { className: 'hint' }, t('planning.hint')),
    );
  };

  const renderDetails = () => {
    if (detailsState.status === 'none') {
      replaceChildren(details);
      return;
    }
    const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('planning.closeDetails') }, '×');
    close.addEventListener('click', () => {
      detailsState = { status: 'none' };
      highlightSelectedZone(map, version, null);
      renderDetails();
    });
    const header = h('div', { className: 'dialog-header' }, h('h3', { id: 'zone-details-title' }, t('planning.whatApplies')), close);
    if (detailsState.status === 'loading') return replaceChildren(details, header, h('p', { role: 'status' }, t('planning.loading')));
    if (detailsState.status === 'failed') return replaceChildren(details, header, h('p', { role: 'alert', className: 'error' }, describeError(detailsState.error)));
    if (detailsState.zones.length === 0) return replaceChildren(details, header, h('p', {}, t('planning.nothingHere')));
    replaceChildren(details, header, detailsState.zones.map(renderZone));
  };

  const renderZone = (zone: ZoneAtPoint) => {
    const landUseKey = `landUse.${zone.landUseCode}`;
    const landUse = isMessageKey(landUseKey) ? t(landUseKey) : zone.landUseName;
    const value = (amount: number | null, key: MessageKey) => (amount === null ? t('planning.notSet') : t(key, { value: formatNumber(amount, 2), count: amount }));
    const change = changes.find((item) => item.zoneCode === zone.zoneCode);
    const previous = previousVersion();
    return h(
      'dl',
      { className: 'facts zone-facts', 'data-zone-code': zone.zoneCode },
      h('dt', {}, t('planning.zone')),
      h('dd', { className: 'zone-code' }, zone.zoneCode, zone.zoneName ? ` – ${zone.zoneName}` : ''),
      h('dt', {}, t('planning.landUse')),
      h('dd', { className: 'zone-land-use' }, `${landUse} (${zone.landUseCode})`),
      h('dt', {}, t('planning.density')),
      h('dd', { className: 'zone-density' }, value(zone.maxDensityPct, 'planning.unitPercent')),
      h('dt', {}, t('planning.floors')),
      h('dd', { className: 'zone-floors' }, value(zone.maxFloors, 'planning.unitFloors')),
      h('dt', {}, t('planning.height')),
      h('dd', { className: 'zone-height' }, value(zone.maxHeightM, 'planning.unitMetres')),
      h('dt', {}, t('planning.far')),
      h('dd', { className: 'zone-far' }, zone.far === null ? t('planning.notSet') : formatNumber(zone.far, 2)),
      h('dt', {}, t('planning.area')),
      h('dd', {}, formatArea(zone.areaM2)),
      h('dt', {}, t('planning.decision')),
      h('dd', { className: 'zone-decision' }, t('planning.decisionValue', { number: zone.decisionNumber, date: formatDate(zone.decisionDate) })),
      zone.approvingAuthority ? [h('dt', {}, t('planning.authority')), h('dd', {}, zone.approvingAuthority)] : null,
      h('dt', {}, t('planning.versionLabel')),
      h('dd', {}, zone.planVersion),
      change && previous && showChanges
        ? h(
            'dd',
            { className: 'zone-change' },
            change.change === 'added'
              ? t('planning.change.added', { version: zone.planVersion })
              : t('planning.change.changed', {
                  version: previous,
                  attributes: [...new Set([...change.changedAttributes.map((name) => t(attributeLabels[name])), ...(change.geometryChanged ? [t('planning.change.geometry')] : [])])].join(', '),
                }),
          )
        : null,
    );
  };

  const loadChanges = async () => {
    const previous = previousVersion();
    changes = [];
    if (plan && previous && showChanges) {
      try {
        changes = (await fetchJson<PlanChanges>(`/api/planning/changes?plan=${encodeURIComponent(plan.planCode)}&from=${encodeURIComponent(previous)}&to=${encodeURIComponent(version)}`)).changes;
      } catch (error) {
        announce(describeError(error));
      }
    }
    if (left) return;
    // Removed zones are not in this version: nothing to outline.
    highlightChangedZones(map, version, changes.filter((change) => change.change !== 'removed').map((change) => change.zoneCode));
    renderControls();
    renderDetails();
  };

  const lookUp = async (point: [number, number]) => {
    lastPoint = point;
    detailsState = { status: 'loading' };
    renderDetails();
    try {
      const result = await fetchJson<WhatAppliesHere>(`/api/planning/at?lon=${point[0].toFixed(6)}&lat=${point[1].toFixed(6)}&version=${encodeURIComponent(version)}${plan ? `&plan=${encodeURIComponent(plan.planCode)}` : ''}`);
      if (point !== lastPoint || left) return;
      detailsState = { status: 'loaded', zones: result.zones };
      highlightSelectedZone(map, version, result.zones[0]?.zoneCode ?? null);
    } catch (error) {
      if (point !== lastPoint || left) return;
      detailsState = { status: 'failed', error };
    }
    renderDetails();
  };

  const selectVersion = async (next: string) => {
    version = next;
    showPlanningVersion(map, version, version === plan?.currentVersion);
    await loadChanges();
    if (lastPoint && detailsState.status !== 'none') await lookUp(lastPoint);
  };

  const onClick = (event: MapMouseEvent) => {
    if (measureTool.active) return;
    if (openCameraAt(map, event.point, announce)) return;
    void lookUp([event.lngLat.lng, event.lngLat.lat]);
  };

  map.on('click', onClick);
  const stopLanguage = onLanguageChange(() => {
    renderControls();
    renderDetails();
  });
  renderControls();

  try {
    plans = (await fetchJson<PlanList>('/api/planning/plans')).plans;
  } catch (error) {
    replaceChildren(controls, h('p', { role: 'alert', className: 'error' }, `${t('planning.loadFailed')} ${describeError(error)}`));
  }
  plan = plans[0];
  if (plan && !left) {
    const current = plan.versions.find((item) => item.version === plan!.currentVersion) ?? plan.versions.at(-1)!;
    const [west, south, east, north] = current.bbox;
    map.fitBounds([[west, south], [east, north]], { padding: 24, duration: 0 });
    await selectVersion(current.version);
  }

  return {
    id: 'planning',
    leave() {
      left = true;
      map.off('click', onClick);
      stopLanguage();
      measureTool.destroy();
      highlightSelectedZone(map, version, null);
      highlightChangedZones(map, version, []);
      if (!wasVisible) layers.setVisible('planning', false);
    },
  };
}
