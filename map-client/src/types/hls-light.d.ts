/** hls.js's light build (no subtitles, alternate audio or DRM): same API as the package's main entry. */
declare module 'hls.js/light' {
  import Hls from 'hls.js';
  export default Hls;
}
