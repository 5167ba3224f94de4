import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Decodes HEIC (HEVC-coded HEIF, what iPhones shoot) to RGBA pixels.
 *
 * Why not sharp: the prebuilt libvips that sharp ships reads HEIF containers and AV1 (AVIF) but has no
 * HEVC decoder (patent licensing), so `sharp(heic).toBuffer()` fails with "Support for this compression
 * format has not been built in: HEVC". `heic-decode` runs libheif + libde265 compiled to WebAssembly
 * (package `libheif-js`, LGPL-3.0): no native build, installs from the npm registry like any package.
 *
 * Why a worker thread: the WebAssembly decoder is synchronous and slow (a 12-megapixel iPhone photo takes
 * about 1.6–2 s on one core), which would freeze every other request of the server. Each decode runs in
 * a short-lived worker (start-up ≈ 60 ms), and at most `maxConcurrentDecodes` run at once so that a
 * burst of uploads cannot exhaust memory (a 12-megapixel decode peaks around 250 MB).
 *
 * libheif applies the HEIF transformations (irot/imir/clap), so the pixels come out upright: the EXIF
 * Orientation tag of a HEIC must NOT be applied again.
 */
export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8Array;
}

export class HeicDecodeError extends Error {}

/** Runs in the worker (CommonJS, plain JavaScript: it is evaluated as a string, not compiled). */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.modulePath);
decode({ buffer: workerData.bytes }).then(
  (image) => {
    const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    parentPort.postMessage({ width: image.width, height: image.height, data }, [data.buffer]);
  },
  (error) => parentPort.postMessage({ error: String((error && error.message) || error) }),
);
`;

const DECODE_TIMEOUT_MS = 60_000;
const maxConcurrentDecodes = Math.max(1, os.availableParallelism() - 1);
let activeDecodes = 0;
const waitingForSlot: Array<() => void> = [];

let resolvedModulePath: string | undefined;
function heicDecodeModulePath(): string {
  resolvedModulePath ??= createRequire(import.meta.url).resolve('heic-decode');
  return resolvedModulePath;
}

export async function decodeHeic(bytes: Uint8Array): Promise<DecodedImage> {
  const modulePath = heicDecodeModulePath();
  if (activeDecodes >= maxConcurrentDecodes) await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  activeDecodes += 1;
  try {
    return await decodeInWorker(modulePath, bytes);
  } finally {
    activeDecodes -= 1;
    waitingForSlot.shift()?.();
  }
}

function decodeInWorker(modulePath: string, bytes: Uint8Array): Promise<DecodedImage> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { modulePath, bytes: new Uint8Array(bytes) } });
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new HeicDecodeError(`HEIC decoding took longer than ${DECODE_TIMEOUT_MS / 1000} s`))), DECODE_TIMEOUT_MS);
    worker.once('message', (message: { width: number; height: number; data: Uint8Array } | { error: string }) => {
      finish(() => ('error' in message ? reject(new HeicDecodeError(message.error)) : resolve(message)));
    });
    worker.once('error', (error) => finish(() => reject(new HeicDecodeError(error.message))));
    worker.once('exit', (code) => finish(() => reject(new HeicDecodeError(`HEIC decoder stopped (exit code ${code})`))));
  });
}
