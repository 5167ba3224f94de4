/**
 * The PWA icons (PNG, as installers want them) from public/icons/icon.svg. Run after editing the SVG:
 *   npm run icons -w @bandoso/map-client
 * The PNGs are committed, so a build needs no image tool.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const iconDirectory = fileURLToPath(new URL('../public/icons/', import.meta.url));
const svg = path.join(iconDirectory, 'icon.svg');

for (const size of [192, 512]) {
  await sharp(svg, { density: 300 }).resize(size, size).png({ compressionLevel: 9 }).toFile(path.join(iconDirectory, `icon-${size}.png`));
}
// Maskable: the platform may crop to a circle, so the artwork keeps to the inner 80 % on the theme colour.
const inner = await sharp(svg, { density: 300 }).resize(410, 410).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#0b5d3b' } })
  .composite([{ input: inner, gravity: 'center' }])
  .png({ compressionLevel: 9 })
  .toFile(path.join(iconDirectory, 'icon-maskable-512.png'));
console.log('icons written to', iconDirectory);
