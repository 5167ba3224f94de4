import type { HeritageSite } from '@bandoso/contracts';
import { CircleGeometry, Color, DirectionalLight, Fog, HemisphereLight, Mesh, MeshLambertMaterial, PerspectiveCamera, Scene, SRGBColorSpace, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { TilesRenderer } from '3d-tiles-renderer/three';
import { localBounds, placeTilesInSiteFrame } from './tileset-frame.ts';
import { enuToScene, flightDuration, interpolatePose, sceneToEnu, type CameraPose } from './tour-math.ts';

/**
 * The 3D part of a tour (three.js + 3d-tiles-renderer), loaded with `import()` when a tour opens:
 * the site's tileset in its local frame (tileset-frame.ts), a ground, light, orbit/zoom/touch
 * controls, and camera flights between the stops. It draws only when something changed (the camera,
 * a tile, the size), so a phone at rest spends nothing.
 */
export interface TourSceneEvents {
  /** Tiles loading: 0…1, and whether loading is still under way. */
  onProgress(progress: number, loading: boolean): void;
  /** The tileset itself could not be loaded (its tiles' failures go to `errors()`). */
  onFatal(message: string): void;
  /** The person took the controls (drag, pinch, wheel): a flight in progress stops there. */
  onUserMove(): void;
}

export interface TourScene {
  /** Moves the camera to a pose in local ENU metres; resolves when there (or when the person takes over). */
  flyTo(pose: CameraPose, options?: { instant?: boolean }): Promise<void>;
  /** The camera's pose now, in local ENU metres. */
  cameraPose(): CameraPose;
  flying(): boolean;
  loadedTiles(): number;
  errors(): string[];
  /** Frames drawn so far (for the benchmark). */
  frames(): number;
  /** Resolves after the first frame that drew tile content. */
  firstTileFrame: Promise<void>;
  dispose(): void;
}

export class WebGlUnavailableError extends Error {
  constructor(cause: unknown) {
    super('WebGL is not available', { cause });
    this.name = 'WebGlUnavailableError';
  }
}

const reducedMotionQuery = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');

export function createTourScene(container: HTMLElement, site: HeritageSite, events: TourSceneEvents): TourScene {
  if (!site.tileset) throw new Error(`site ${site.code} has no tileset`);
  const canvas = document.createElement('canvas');
  canvas.className = 'tour-canvas';
  let renderer: WebGLRenderer;
  try {
    renderer = new WebGLRenderer({ canvas, antialias: true, powerPreference: 'high-performance' });
  } catch (error) {
    throw new WebGlUnavailableError(error);
  }
  renderer.outputColorSpace = SRGBColorSpace;
  renderer.setPixelRatio(Math.min(globalThis.devicePixelRatio || 1, 2));
  container.append(canvas);

  const scene = new Scene();
  const sky = new Color('#dbe8ef');
  scene.background = sky;
  scene.fog = new Fog(sky, 600, 4000);
  scene.add(new HemisphereLight('#f3f6ff', '#6b6450', 1.7));
  const sun = new DirectionalLight('#fff4e0', 2.2);
  // Afternoon sun from the south-west, high: the relics' relief reads well from every stop.
  sun.position.set(...enuToScene([-0.5, -0.6, 1]));
  scene.add(sun);
  const ground = new Mesh(new CircleGeometry(3000, 64), new MeshLambertMaterial({ color: '#7f9657' }));
  ground.rotation.x = -Math.PI / 2;
  ground.position.y = -0.05;
  scene.add(ground);

  const camera = new PerspectiveCamera(50, 1, 0.5, 20_000);
  camera.position.set(...enuToScene([120, -160, 90]));
  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = !reducedMotionQuery()?.matches;
  controls.dampingFactor = 0.12;
  controls.minDistance = 2;
  controls.maxDistance = 3000;
  // Never under the ground (a stop that looks up at a monument widens this: see keepPoseReachable).
  const groundPolarAngle = Math.PI / 2 - 0.03;
  controls.maxPolarAngle = groundPolarAngle;
  controls.screenSpacePanning = false;
  controls.target.set(0, 0, 0);
  controls.update();
  // From the keyboard too: focus the model, then the arrow keys move it.
  canvas.tabIndex = 0;
  controls.listenToKeyEvents(canvas);

  const tiles = new TilesRenderer(site.tileset.url);
  tiles.setCamera(camera);
  scene.add(tiles.group);
  let loaded = 0;
  let firstTileResolve: () => void = () => undefined;
  const firstTileFrame = new Promise<void>((resolve) => (firstTileResolve = resolve));
  let drewTiles = false;
  const errors: string[] = [];
  let dirty = true;
  let frameCount = 0;
  let fatal = false;

  tiles.addEventListener('load-root-tileset', () => {
    const ecefToEnu = placeTilesInSiteFrame(tiles, site.position);
    const bounds = localBounds(tiles, ecefToEnu);
    // The ground sits just under the lowest point of the relic (its own terrain, if any, stands on it).
    if (bounds) ground.position.y = Math.min(0, bounds.min.z) - 0.05;
    dirty = true;
  });
  tiles.addEventListener('load-model', () => {
    loaded += 1;
    dirty = true;
  });
  tiles.addEventListener('dispose-model', () => {
    loaded = Math.max(0, loaded - 1);
  });
  tiles.addEventListener('needs-update', () => {
    dirty = true;
  });
  tiles.addEventListener('load-error', (event) => {
    const url = String(event.url);
    errors.push(`${url}: ${event.error?.message ?? 'error'}`);
    if (!event.tile || url === site.tileset?.url) {
      fatal = true;
      events.onFatal(url);
    }
  });

  const resize = () => {
    const width = Math.max(1, container.clientWidth);
    const height = Math.max(1, container.clientHeight);
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    tiles.setResolutionFromRenderer(camera, renderer);
    dirty = true;
  };
  const observer = new ResizeObserver(resize);
  observer.observe(container);
  resize();

  let flight: { from: CameraPose; to: CameraPose; start: number; duration: number; done: () => void } | undefined;
  const currentScenePose = (): CameraPose => ({ position: camera.position.toArray() as CameraPose['position'], target: controls.target.toArray() as CameraPose['target'] });
  const offset = new Vector3();
  const applyScenePose = (pose: CameraPose) => {
    camera.position.set(...pose.position);
    controls.target.set(...pose.target);
    camera.lookAt(controls.target);
    // OrbitControls clamps the angle from the zenith; a stop below its target (looking up) must stay where it is.
    offset.subVectors(camera.position, controls.target);
    const polar = offset.length() > 0 ? Math.acos(Math.min(1, Math.max(-1, offset.y / offset.length()))) : 0;
    controls.maxPolarAngle = Math.max(groundPolarAngle, polar + 0.01);
  };
  const endFlight = () => {
    const done = flight?.done;
    flight = undefined;
    controls.enabled = true;
    controls.update();
    done?.();
  };

  controls.addEventListener('change', () => {
    dirty = true;
  });
  controls.addEventListener('start', () => {
    if (flight) {
      endFlight();
    }
    events.onUserMove();
  });

  // A tap, drag or wheel during a flight stops it where it is (the controls are off while flying).
  const interrupt = () => {
    if (!flight) return;
    endFlight();
    events.onUserMove();
  };
  canvas.addEventListener('pointerdown', interrupt);
  canvas.addEventListener('wheel', interrupt, { passive: true });

  let lastProgress = -1;
  let lastLoading: boolean | undefined;
  let animationFrame = 0;
  const frame = (now: number) => {
    animationFrame = requestAnimationFrame(frame);
    if (flight) {
      const t = flight.duration === 0 ? 1 : (now - flight.start) / flight.duration;
      applyScenePose(t >= 1 ? flight.to : interpolatePose(flight.from, flight.to, t, 1));
      if (t >= 1) endFlight();
      dirty = true;
    } else if (controls.update()) {
      dirty = true;
    }
    const loading = !fatal && (tiles.loadProgress < 1 || !tiles.root);
    if (tiles.loadProgress !== lastProgress || loading !== lastLoading) {
      lastProgress = tiles.loadProgress;
      lastLoading = loading;
      events.onProgress(tiles.loadProgress, loading);
    }
    if (!dirty && !loading) return;
    dirty = false;
    camera.updateMatrixWorld();
    tiles.update();
    renderer.render(scene, camera);
    frameCount += 1;
    if (!drewTiles && tiles.visibleTiles.size > 0 && loaded > 0) {
      drewTiles = true;
      firstTileResolve();
    }
  };
  animationFrame = requestAnimationFrame(frame);

  return {
    flyTo(pose, options = {}) {
      const to: CameraPose = { position: enuToScene(pose.position), target: enuToScene(pose.target) };
      if (flight) endFlight();
      const from = currentScenePose();
      const duration = options.instant ? 0 : flightDuration(from, to, Boolean(reducedMotionQuery()?.matches));
      if (duration === 0) {
        applyScenePose(to);
        controls.update();
        dirty = true;
        return Promise.resolve();
      }
      controls.enabled = false;
      return new Promise<void>((resolve) => {
        flight = { from, to, start: performance.now(), duration, done: resolve };
      });
    },
    cameraPose: () => ({ position: sceneToEnu(camera.position.toArray()), target: sceneToEnu(controls.target.toArray()) }),
    flying: () => flight !== undefined,
    loadedTiles: () => loaded,
    errors: () => [...errors],
    frames: () => frameCount,
    firstTileFrame,
    dispose() {
      cancelAnimationFrame(animationFrame);
      observer.disconnect();
      controls.dispose();
      tiles.dispose();
      renderer.dispose();
      canvas.remove();
    },
  };
}
