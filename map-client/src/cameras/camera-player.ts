import Hls from 'hls.js';

/**
 * The live camera player's entry point (cameras issue). hls.js is imported by this module only, and
 * this module only by `import()` when a player opens (see views/lazy-views.ts).
 */
export function playStream(video: HTMLVideoElement, streamUrl: string): { destroy(): void } {
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    // Safari plays HLS natively.
    video.src = streamUrl;
    return { destroy: () => video.removeAttribute('src') };
  }
  const hls = new Hls({ lowLatencyMode: true });
  hls.loadSource(streamUrl);
  hls.attachMedia(video);
  return { destroy: () => hls.destroy() };
}
