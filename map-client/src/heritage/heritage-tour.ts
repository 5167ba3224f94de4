import { PerspectiveCamera, Scene, WebGLRenderer } from 'three';

/**
 * The 3D heritage tour's entry point (heritage issue). three.js is imported by this module only, and
 * this module only by `import()` when a tour opens (see views/lazy-views.ts), so the citizen entry
 * never carries it.
 */
export function createTourRenderer(canvas: HTMLCanvasElement): { scene: Scene; camera: PerspectiveCamera; renderer: WebGLRenderer; dispose(): void } {
  const renderer = new WebGLRenderer({ canvas, antialias: true });
  const scene = new Scene();
  const camera = new PerspectiveCamera(50, canvas.clientWidth / Math.max(canvas.clientHeight, 1), 0.1, 10_000);
  return { scene, camera, renderer, dispose: () => renderer.dispose() };
}
