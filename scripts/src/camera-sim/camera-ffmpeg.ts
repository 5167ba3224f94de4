import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The ffmpeg side of the camera simulator: what one simulated camera runs, and the checks that say
 * which Debian package is missing before any camera starts.
 */

export interface EncoderSettings {
  width: number;
  height: number;
  frameRate: number;
  /** Length of one HLS segment; every segment starts with a keyframe. */
  segmentSeconds: number;
  /** Segments named in the rolling playlist. */
  listSize: number;
}

export interface OverlayFonts {
  /** A proportional font with Vietnamese glyphs, for the camera's code and name. */
  label: string;
  /** A monospaced font, so that the clock's digits do not shift as they change. */
  clock: string;
}

/** File names inside a camera's work folder (the folder is ffmpeg's working directory). */
export const PLAYLIST_FILE = 'index.m3u8';
export const SEGMENT_FILE = /^seg-\d{1,20}\.ts$/;
const LABEL_FONT_LINK = 'label-font.ttf';
const CLOCK_FONT_LINK = 'clock-font.ttf';
const LABEL_TEXT_FILE = 'label.txt';
const CLOCK_TEXT_FILE = 'clock.txt';

const dejaVuFolders = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu'];

/** Debian's fonts-dejavu-core, wherever the distribution put it; a clear error when it is missing. */
export function findOverlayFonts(fontFile?: string): OverlayFonts {
  if (fontFile !== undefined) {
    const absolute = path.resolve(fontFile);
    if (!fs.existsSync(absolute)) throw new Error(`camera simulator: font file ${absolute} does not exist`);
    return { label: absolute, clock: absolute };
  }
  for (const folder of dejaVuFolders) {
    const label = path.join(folder, 'DejaVuSans-Bold.ttf');
    const clock = path.join(folder, 'DejaVuSansMono-Bold.ttf');
    if (fs.existsSync(label) && fs.existsSync(clock)) return { label, clock };
  }
  throw new Error(
    'camera simulator: no font for the picture\'s text (DejaVu Sans). Install Debian\'s package fonts-dejavu-core: ' +
      'sudo apt-get install fonts-dejavu-core',
  );
}

function runForOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

const checkedFfmpegs = new Set<string>();

/** Rejects with the Debian package to install when ffmpeg, or a part of it the cameras use, is missing. */
export async function checkFfmpeg(ffmpegPath: string): Promise<void> {
  if (checkedFfmpegs.has(ffmpegPath)) return;
  let filters: string;
  let encoders: string;
  try {
    [filters, encoders] = await Promise.all([runForOutput(ffmpegPath, ['-hide_banner', '-filters']), runForOutput(ffmpegPath, ['-hide_banner', '-encoders'])]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`camera simulator: ffmpeg not found (${ffmpegPath}). Install Debian's package ffmpeg: sudo apt-get install ffmpeg`);
    }
    throw new Error(`camera simulator: ${ffmpegPath} does not run: ${(error as Error).message}`);
  }
  const missing = [
    /^\s*\S+\s+testsrc2\s/m.test(filters) ? undefined : 'the testsrc2 source',
    /^\s*\S+\s+drawtext\s/m.test(filters) ? undefined : 'the drawtext filter (libfreetype)',
    /^\s*\S+\s+libx264\s/m.test(encoders) ? undefined : 'the libx264 encoder',
  ].filter((part) => part !== undefined);
  if (missing.length > 0) {
    throw new Error(`camera simulator: ${ffmpegPath} lacks ${missing.join(', ')}. Use Debian's package ffmpeg (sudo apt-get install ffmpeg), which has them all`);
  }
  checkedFfmpegs.add(ffmpegPath);
}

let setprivSupportsParentDeath: boolean | undefined;

/**
 * The command that starts ffmpeg. On Linux, through util-linux's `setpriv --pdeathsig KILL` (present
 * on every Debian), so that the kernel ends ffmpeg if this process dies without stopping it (SIGKILL,
 * a crash, a test runner's timeout): no orphan keeps encoding after its server is gone.
 */
export function ffmpegCommand(ffmpegPath: string, args: string[]): { command: string; args: string[] } {
  if (setprivSupportsParentDeath === undefined) {
    const probe = process.platform === 'linux' ? spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }) : undefined;
    setprivSupportsParentDeath = probe !== undefined && probe.error === undefined && probe.status === 0;
  }
  if (!setprivSupportsParentDeath) return { command: ffmpegPath, args };
  return { command: 'setpriv', args: ['--pdeathsig', 'KILL', '--', ffmpegPath, ...args] };
}

/** drawtext reads `\x` as a literal x and `%{…}` as an expansion; a camera's name must be neither. */
function escapeDrawtext(text: string): string {
  return text.replace(/[\\%]/g, (character) => `\\${character}`);
}

function shorten(text: string, characters: number): string {
  const glyphs = [...text];
  return glyphs.length <= characters ? text : `${glyphs.slice(0, characters - 1).join('')}…`;
}

/**
 * Writes what the picture's text needs into the camera's folder: the overlay texts as files (no
 * quoting through ffmpeg's filter syntax) and links to the fonts (so that any font path works).
 */
export async function prepareOverlay(directory: string, camera: { code: string; name: string }, fonts: OverlayFonts): Promise<void> {
  const label = [
    `${escapeDrawtext(camera.code)}  #%{frame_num}`,
    escapeDrawtext(shorten(camera.name, 40)),
    // The date and the UTC offset of the clock below, so a viewer elsewhere reads it right.
    '%{pts:localtime:0:%Y-%m-%d UTC%z}',
  ].join('\n');
  // The frame's timestamp is the wall clock when the frame was made (see the filter chain), so the
  // clock shows it to the millisecond; drawtext's %{localtime} has only whole seconds in ffmpeg 5.
  const clock = '%{pts:localtime:0:%H\\:%M\\:%S}.%{eif:mod(t*1000,1000):d:3}';
  await Promise.all([
    fs.promises.writeFile(path.join(directory, LABEL_TEXT_FILE), label),
    fs.promises.writeFile(path.join(directory, CLOCK_TEXT_FILE), clock),
    fs.promises.symlink(fonts.label, path.join(directory, LABEL_FONT_LINK)),
    fs.promises.symlink(fonts.clock, path.join(directory, CLOCK_FONT_LINK)),
  ]);
}

/**
 * ffmpeg's arguments for one camera, run in the camera's folder (after `prepareOverlay`): a moving
 * test picture at real-time pace with the camera's code, a frame counter and the wall-clock time
 * burned in, encoded as cheaply as x264 can (one thread, ultrafast, no look-ahead), cut into
 * independently decodable MPEG-TS segments listed by a rolling live playlist with
 * EXT-X-PROGRAM-DATE-TIME.
 */
export function ffmpegArguments(settings: EncoderSettings): string[] {
  const { width, height, frameRate, segmentSeconds, listSize } = settings;
  const framesPerSegment = Math.max(1, Math.round(frameRate * segmentSeconds));
  const filters = [
    'format=yuv420p',
    // Stamp each frame with the wall clock (microseconds) as it is made, for the text to show...
    'settb=expr=1/1000000',
    'setpts=RTCTIME',
    `drawtext=fontfile=${LABEL_FONT_LINK}:textfile=${LABEL_TEXT_FILE}:x=w-tw-6:y=6:fontsize=12:line_spacing=2:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4`,
    `drawtext=fontfile=${CLOCK_FONT_LINK}:textfile=${CLOCK_TEXT_FILE}:x=6:y=h-th-8:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4`,
    // ...then give the encoder an even timeline again, one frame every 1/frameRate s.
    `settb=expr=1/${frameRate}`,
    'setpts=N',
  ].join(',');
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'warning',
    '-filter_threads',
    '1',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=${frameRate}`,
    '-vf',
    filters,
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-threads',
    '1',
    '-crf',
    '28',
    '-maxrate',
    '400k',
    '-bufsize',
    '400k',
    '-g',
    String(framesPerSegment),
    '-keyint_min',
    String(framesPerSegment),
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:gte(t,n_forced*${framesPerSegment / frameRate})`,
    '-f',
    'hls',
    '-hls_time',
    String(framesPerSegment / frameRate),
    '-hls_list_size',
    String(listSize),
    '-hls_segment_type',
    'mpegts',
    // temp_file: a segment appears under its name only once complete. Numbering from the clock
    // (microseconds) keeps the media sequence rising, and names unique, across restarts.
    '-hls_flags',
    'delete_segments+program_date_time+independent_segments+temp_file',
    '-hls_start_number_source',
    'epoch_us',
    '-hls_segment_filename',
    'seg-%d.ts',
    PLAYLIST_FILE,
  ];
}
