/**
 * The baseline of `npm run bench:heritage`: the least a page needs to show a site's tileset with
 * three.js and 3d-tiles-renderer. No API call, no app shell, no tour: the tileset URL and a camera
 * pose (local east-north-up metres) come in the query string, and the size of the tour's scene. It draws every animation frame, and
 * after the first frame with tile content it orbits slowly, so frames per second can be counted.
 */
import { DirectionalLight, HemisphereLight, Matrix4, PerspectiveCamera, Scene, Vector3, WebGLRenderer } from 'three';
import { TilesRenderer } from '3d-tiles-renderer/three';

interface BareHandle {
  firstTileFrameAt: number | undefined;
  frames: number;
  loadedTiles: number;
  errors: string[];
}
declare global {
  interface Window {
    __bare: BareHandle;
  }
}

const query = new URLSearchParams(location.search);
const tilesetUrl = query.get('tileset') ?? '';
const numbers = (name: string, fallback: number[]) => (query.get(name)?.split(',').map(Number) ?? fallback) as [number, number, number];
// ENU (z up) → three.js (y up).
const toScene = ([east, north, up]: [number, number, number]) => new Vector3(east, up, -north);
const position = toScene(numbers('position', [120, -160, 90]));
// The size of the tour's scene (the rest of its page is text), so that both choose the same tiles.
const width = Number(query.get('width') ?? innerWidth);
const height = Number(query.get('height') ?? innerHeight);
const target = toScene(numbers('target', [0, 0, 0]));

const handle: BareHandle = { firstTileFrameAt: undefined, frames: 0, loadedTiles: 0, errors: [] };
window.__bare = handle;

const renderer = new WebGLRenderer({ antialias: true });
renderer.setPixelRatio(Math.min(devicePixelRatio || 1, 2));
renderer.setSize(width, height);
document.body.append(renderer.domElement);
const scene = new Scene();
scene.add(new HemisphereLight('#f3f6ff', '#6b6450', 1.7));
const sun = new DirectionalLight('#fff4e0', 2.2);
sun.position.set(-0.5, 1, 0.6);
scene.add(sun);
const camera = new PerspectiveCamera(50, width / height, 0.5, 20_000);
camera.position.copy(position);
camera.lookAt(target);

const tiles = new TilesRenderer(tilesetUrl);
tiles.setCamera(camera);
tiles.setResolutionFromRenderer(camera, renderer);
scene.add(tiles.group);
tiles.addEventListener('load-root-tileset', () => {
  // The root transform places the site's ENU frame on the ellipsoid: undo it, then turn z-up into y-up.
  const transform = (tiles.root as { transform?: number[] } | null)?.transform;
  const ecefToEnu = Array.isArray(transform) ? new Matrix4().fromArray(transform).invert() : new Matrix4();
  tiles.group.matrix.multiplyMatrices(new Matrix4().makeRotationX(-Math.PI / 2), ecefToEnu);
  tiles.group.matrix.decompose(tiles.group.position, tiles.group.quaternion, tiles.group.scale);
});
tiles.addEventListener('load-model', () => {
  handle.loadedTiles += 1;
});
tiles.addEventListener('load-error', (event) => {
  handle.errors.push(String(event.url));
});

const offset = position.clone().sub(target);
let orbitStart: number | undefined;
const frame = (now: number) => {
  requestAnimationFrame(frame);
  if (orbitStart !== undefined) {
    const angle = ((now - orbitStart) / 1000) * 0.3;
    camera.position.copy(target).add(offset.clone().applyAxisAngle(new Vector3(0, 1, 0), angle));
    camera.lookAt(target);
  }
  camera.updateMatrixWorld();
  tiles.update();
  renderer.render(scene, camera);
  handle.frames += 1;
  if (handle.firstTileFrameAt === undefined && handle.loadedTiles > 0 && tiles.visibleTiles.size > 0) {
    handle.firstTileFrameAt = performance.now();
    orbitStart = now;
  }
};
requestAnimationFrame(frame);
