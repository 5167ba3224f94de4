import type { HeritageSiteSummary } from '@bandoso/contracts';
import { LngLat, MercatorCoordinate, type CustomLayerInterface, type CustomRenderMethodInput, type Map as MapLibreMap } from 'maplibre-gl';
import { Camera, DirectionalLight, HemisphereLight, MathUtils, Scene, Vector3, WebGLRenderer } from 'three';
import { TilesRenderer, WGS84_ELLIPSOID } from '3d-tiles-renderer/three';
import { loadHeritageSites } from './heritage-api.ts';
import { multiply, siteModelMatrix, splitClipMatrix } from './map-camera.ts';
import { placeTilesInSiteFrame } from './tileset-frame.ts';
import { enuToScene } from './tour-math.ts';

/**
 * The relics standing in place on the map: a MapLibre custom layer ('3d': it shares the map's depth
 * buffer) that draws each nearby site's tileset with three.js and 3d-tiles-renderer in the map's own
 * WebGL context, with the map's camera. Loaded by the heritage overlay only once the map is pitched
 * and zoomed in over a site that has a model.
 *
 * Frames, for one site: the scene is the site's local metres, y up (tileset-frame.ts). Scene → ENU
 * (a quarter turn), ENU → mercator (east stays x, north is −y in mercator, up is z; all scaled by the
 * site's meterInMercatorCoordinateUnits; then moved to the site's MercatorCoordinate), mercator → clip
 * (MapLibre's mainMatrix). The product is split into a camera 3d-tiles-renderer can pick levels of
 * detail with (map-camera.ts).
 */
export const heritage3dLayerId = 'heritage-3d';

/** Sites are drawn from this zoom (a site 180 m across is then ~40 px wide). */
const minimumZoom = 14.5;
/** And only within this distance of the map's centre (metres): the others are not loaded. */
const drawRadiusM = 4000;

interface SiteModel {
  code: string;
  tiles: TilesRenderer;
  scene: Scene;
  camera: Camera;
  /** scene (local metres, y up) → mercator. */
  model: number[];
  loaded: number;
}

export interface Heritage3dLayerHandle {
  /** Tiles drawn per site (for the browser tests). */
  loadedTiles(): Record<string, number>;
  errors(): string[];
  remove(): void;
}

declare global {
  interface Window {
    __heritageMap3d?: Heritage3dLayerHandle;
  }
}

export async function mountHeritage3dLayer(map: MapLibreMap): Promise<Heritage3dLayerHandle> {
  const sites = (await loadHeritageSites()).sites.filter((site) => site.tileset);
  const models = new Map<string, SiteModel>();
  const errors: string[] = [];
  let renderer: WebGLRenderer | undefined;
  let removed = false;

  const modelMatrix = (position: readonly [number, number]): number[] => {
    const origin = MercatorCoordinate.fromLngLat([position[0], position[1]], 0);
    return siteModelMatrix(origin, origin.meterInMercatorCoordinateUnits());
  };

  const createModel = (site: HeritageSiteSummary): SiteModel => {
    const scene = new Scene();
    scene.add(new HemisphereLight('#f3f6ff', '#6b6450', 1.7));
    const sun = new DirectionalLight('#fff4e0', 2.2);
    sun.position.set(...enuToScene([-0.5, -0.6, 1]));
    scene.add(sun);
    const tiles = new TilesRenderer(site.tileset!.url);
    const camera = new Camera();
    camera.matrixAutoUpdate = false;
    tiles.setCamera(camera);
    scene.add(tiles.group);
    const model: SiteModel = { code: site.code, tiles, scene, camera, model: modelMatrix(site.position), loaded: 0 };
    tiles.addEventListener('load-root-tileset', () => {
      const ecefToEnu = placeTilesInSiteFrame(tiles, site.position);
      // On the map the model stands where its tileset puts it (a surveyed tileset's frame may sit a
      // little off the site's point): at the origin of its frame, on the map's ground.
      const originEcef = new Vector3().setFromMatrixPosition(ecefToEnu.clone().invert());
      const { lat, lon } = WGS84_ELLIPSOID.getPositionToCartographic(originEcef, { lat: 0, lon: 0, height: 0 });
      model.model = modelMatrix([MathUtils.radToDeg(lon), MathUtils.radToDeg(lat)]);
      map.triggerRepaint();
    });
    tiles.addEventListener('load-model', () => {
      model.loaded += 1;
      map.triggerRepaint();
    });
    tiles.addEventListener('dispose-model', () => {
      model.loaded = Math.max(0, model.loaded - 1);
    });
    tiles.addEventListener('needs-update', () => map.triggerRepaint());
    tiles.addEventListener('load-error', (event) => {
      errors.push(`${String(event.url)}: ${event.error?.message ?? 'error'}`);
    });
    return model;
  };

  const wanted = (site: HeritageSiteSummary) => map.getCenter().distanceTo(new LngLat(site.position[0], site.position[1])) <= drawRadiusM;

  const layer: CustomLayerInterface = {
    id: heritage3dLayerId,
    type: 'custom',
    renderingMode: '3d',
    onAdd(_map, gl) {
      renderer = new WebGLRenderer({ canvas: map.getCanvas(), context: gl, antialias: true });
      renderer.autoClear = false;
    },
    onRemove() {
      for (const model of models.values()) model.tiles.dispose();
      models.clear();
      renderer?.dispose();
      renderer = undefined;
    },
    render(gl, args: CustomRenderMethodInput) {
      if (!renderer || map.getZoom() < minimumZoom) return;
      // Hidden with the heritage overlay (the layer panel hides layers by their "heritage-" prefix, but a custom layer is not in the style it walks).
      if (map.getLayer('heritage-point') && map.getLayoutProperty('heritage-point', 'visibility') === 'none') return;
      const width = gl.drawingBufferWidth;
      const height = gl.drawingBufferHeight;
      let loading = false;
      for (const site of sites) {
        let model = models.get(site.code);
        if (!wanted(site)) {
          if (model) {
            model.tiles.dispose();
            models.delete(site.code);
          }
          continue;
        }
        if (!model) models.set(site.code, (model = createModel(site)));
        const split = splitClipMatrix(multiply(args.defaultProjectionData.mainMatrix, model.model));
        if (!split) continue;
        model.camera.matrix.fromArray(split.world);
        model.camera.matrixWorld.fromArray(split.world);
        model.camera.matrixWorldInverse.fromArray(split.world).invert();
        model.camera.projectionMatrix.fromArray(split.projection);
        model.camera.projectionMatrixInverse.copy(model.camera.projectionMatrix).invert();
        model.tiles.setResolution(model.camera, width, height);
        model.tiles.update();
        renderer.resetState();
        renderer.setViewport(0, 0, width, height);
        renderer.render(model.scene, model.camera);
        if (model.tiles.loadProgress < 1 || !model.tiles.root) loading = true;
      }
      // Keep drawing while tiles arrive.
      if (loading) map.triggerRepaint();
    },
  };

  const addLayer = () => {
    if (removed || map.getLayer(heritage3dLayerId)) return;
    // Above the site points, under the labels.
    map.addLayer(layer, map.getLayer('heritage-label') ? 'heritage-label' : undefined);
  };
  addLayer();
  // A new style (another base map) drops custom layers: put it back.
  const onStyle = () => addLayer();
  map.on('styledata', onStyle);

  const handle: Heritage3dLayerHandle = {
    loadedTiles: () => Object.fromEntries([...models.values()].map((model) => [model.code, model.loaded])),
    errors: () => [...errors],
    remove() {
      removed = true;
      map.off('styledata', onStyle);
      if (map.getLayer(heritage3dLayerId)) map.removeLayer(heritage3dLayerId);
    },
  };
  window.__heritageMap3d = handle;
  return handle;
}
