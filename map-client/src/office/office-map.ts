import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { StaffReportSummary } from './office-api.ts';
import { deadlineText } from './office-format.ts';

export const officeSourceId = 'office-reports';
export const officeLayerId = 'office-reports-points';

/**
 * The desk's reports as points on the shared map: one GeoJSON source and a circle layer, coloured by
 * how urgent each is; the shown report is drawn larger. Clicking a point opens the report. `destroy`
 * removes all of it (the view leaves the map as it found it).
 */
export function mountOfficeMap(map: MapLibreMap, onOpen: (reportId: string) => void) {
  const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
  if (!map.getSource(officeSourceId)) map.addSource(officeSourceId, { type: 'geojson', data: empty });
  if (!map.getLayer(officeLayerId)) {
    map.addLayer({
      id: officeLayerId,
      type: 'circle',
      source: officeSourceId,
      paint: {
        'circle-radius': ['case', ['get', 'selected'], 11, 7],
        'circle-color': ['match', ['get', 'tone'], 'overdue', '#c62828', 'soon', '#ef6c00', 'paused', '#757575', 'closed', '#9e9e9e', '#0b5d3b'],
        'circle-stroke-color': ['case', ['get', 'selected'], '#ffbf00', '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'selected'], 4, 2],
      },
    });
  }
  const click = (event: MapLayerMouseEvent) => {
    const id = event.features?.[0]?.properties?.id as string | undefined;
    if (id) onOpen(id);
  };
  const enter = () => (map.getCanvas().style.cursor = 'pointer');
  const leave = () => (map.getCanvas().style.cursor = '');
  map.on('click', officeLayerId, click);
  map.on('mouseenter', officeLayerId, enter);
  map.on('mouseleave', officeLayerId, leave);
  let codes: string[] = [];

  return {
    show(reports: readonly StaffReportSummary[], selectedId?: string) {
      codes = reports.map((report) => report.trackingCode);
      const data: GeoJSON.FeatureCollection = {
        type: 'FeatureCollection',
        features: reports.map((report) => ({
          type: 'Feature',
          geometry: report.location,
          properties: { id: report.id, trackingCode: report.trackingCode, tone: deadlineText(report).tone, selected: report.id === selectedId },
        })),
      };
      void (map.getSource(officeSourceId) as GeoJSONSource | undefined)?.setData(data);
    },
    /** The tracking codes drawn now (for tests). */
    codes: () => codes,
    fitTo(reports: readonly StaffReportSummary[]) {
      if (reports.length === 0) return;
      if (reports.length === 1) {
        map.flyTo({ center: reports[0]!.location.coordinates, zoom: Math.max(map.getZoom(), 15) });
        return;
      }
      let [west, south, east, north] = [180, 90, -180, -90];
      for (const { location } of reports) {
        const [lon, lat] = location.coordinates;
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
      map.fitBounds([west, south, east, north], { padding: 60, maxZoom: 14, duration: 600 });
    },
    destroy() {
      map.off('click', officeLayerId, click);
      map.off('mouseenter', officeLayerId, enter);
      map.off('mouseleave', officeLayerId, leave);
      map.getCanvas().style.cursor = '';
      if (map.getLayer(officeLayerId)) map.removeLayer(officeLayerId);
      if (map.getSource(officeSourceId)) map.removeSource(officeSourceId);
    },
  };
}

export type OfficeMap = ReturnType<typeof mountOfficeMap>;
