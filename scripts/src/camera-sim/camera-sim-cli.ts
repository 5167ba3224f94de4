/**
 * `npm run camera-sim -- [--port 8090] [--host 127.0.0.1] [--count N] [--codes CAM-001,CAM-002]
 * [--segment-seconds 1] [--list-size 6]`: the sample cameras as live HLS streams made by ffmpeg,
 * at their `stream_url`, until Ctrl+C (SIGINT) or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startCameraSimulator, type CameraSimulatorOptions } from './camera-simulator.ts';

const usage = `Camera mô phỏng: các camera mẫu thành luồng HLS trực tiếp (ffmpeg).
Simulated cameras: the sample cameras as live HLS streams made by ffmpeg.

  npm run camera-sim -- [options]

  --port N              HTTP port (default 8090, the port of the sample stream_url; 0: any free port)
  --host ADDRESS        interface to listen on (default 127.0.0.1)
  --count N             the first N sample cameras (default: all)
  --codes A,B           these cameras instead (sample codes, or new ones at /cameras/{code}/index.m3u8)
  --segment-seconds S   segment length (default 1)
  --list-size N         segments in the rolling playlist (default 6)
  --help                this text

Stops on SIGINT (Ctrl+C), SIGTERM, or when the process that started it (npm) ends.
Needs Debian's ffmpeg and fonts-dejavu-core (sudo apt-get install ffmpeg fonts-dejavu-core).`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number (got ${value})`);
  return Number(value);
}

function readOptions(): CameraSimulatorOptions | undefined {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      count: { type: 'string' },
      codes: { type: 'string' },
      'segment-seconds': { type: 'string' },
      'list-size': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const segmentSeconds = values['segment-seconds'];
  if (segmentSeconds !== undefined && !Number.isFinite(Number(segmentSeconds))) throw new Error(`--segment-seconds must be a number (got ${segmentSeconds})`);
  return {
    port: integer('port', values.port),
    host: values.host,
    count: integer('count', values.count),
    codes: values.codes?.split(',').map((code) => code.trim()).filter(Boolean),
    segmentSeconds: segmentSeconds === undefined ? undefined : Number(segmentSeconds),
    listSize: integer('list-size', values['list-size']),
    log: (message) => console.log(`[camera-sim] ${new Date().toISOString()} ${message}`),
  };
}

async function main(): Promise<void> {
  let options: CameraSimulatorOptions | undefined;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (options === undefined) {
    console.log(usage);
    return;
  }

  console.log('Đang khởi động camera mô phỏng… / Starting the simulated cameras…');
  const starting = startCameraSimulator(options);
  let stopRequested = false;
  const requestStop = (reason: string) => {
    if (stopRequested) {
      // A second signal: leave now; the simulator's exit hook still kills its ffmpegs.
      process.exit(130);
    }
    stopRequested = true;
    console.log(`\n${reason}: đang dừng các camera… / stopping the cameras…`);
    void starting
      .then((simulator) => simulator.stop())
      .catch(() => undefined)
      .then(() => {
        console.log('Đã dừng. / Stopped.');
        process.exit(0);
      });
  };
  process.on('SIGINT', requestStop);
  process.on('SIGTERM', requestStop);
  // `npm run` passes SIGTERM to its shell, which dies without passing it on: this process would be
  // left running, with its ffmpegs. A new parent means whoever started it is gone.
  const parent = process.ppid;
  setInterval(() => {
    if (!stopRequested && process.ppid !== parent) requestStop(`parent process ${parent} ended`);
  }, 500).unref();

  let simulator;
  try {
    simulator = await starting;
  } catch (error) {
    if (stopRequested) return;
    console.error(`Không khởi động được camera mô phỏng / Could not start the simulated cameras:\n${(error as Error).message}`);
    process.exit(1);
  }
  if (stopRequested) return;
  const width = Math.max(...simulator.cameras.map((camera) => camera.code.length));
  console.log(`\nCamera đang phát trực tiếp / Cameras live (${simulator.cameras.length}, HLS):`);
  for (const camera of simulator.cameras) console.log(`  ${camera.code.padEnd(width)}  ${camera.url}  ${camera.name}`);
  if (!simulator.baseUrl.endsWith(':8090')) {
    console.log('\n(Cổng khác 8090: stream_url của dữ liệu mẫu trỏ tới cổng 8090. / Not port 8090: the sample data\'s stream_url points at port 8090.)');
  }
  console.log(`Thư mục tạm / Work folder: ${simulator.workDirectory}`);
  console.log('\nĐồng hồ trên hình là giờ thực lúc ghi hình. / The clock in the picture is the wall-clock time the frame was made.');
  console.log('Nhấn Ctrl+C để dừng. / Press Ctrl+C to stop.');
}

await main();
