import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { bearerToken, createTestUser, databaseFingerprint, getSharedTestDatabase, pointInUnit, startTestServer, type TestServer } from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;
let pin: [number, number];
let officerToken: string;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  pin = await pointInUnit(database.db, '03127');
  officerToken = await bearerToken(server.baseUrl, await createTestUser(database.db, 'officer', 'UBND-03127'));
});
afterAll(() => server.close());

/** Degrees as the EXIF rational triple "d/1 m/1 s/100". */
function rational(degrees: number): string {
  const whole = Math.floor(degrees);
  const minutes = Math.floor((degrees - whole) * 60);
  const seconds = Math.round(((degrees - whole) * 60 - minutes) * 60 * 100);
  return `${whole}/1 ${minutes}/1 ${seconds}/100`;
}

function exifDate(date: Date): { DateTimeOriginal: string; OffsetTimeOriginal: string } {
  const local = new Date(date.getTime() + 7 * 3_600_000).toISOString();
  return { DateTimeOriginal: `${local.slice(0, 10).replaceAll('-', ':')} ${local.slice(11, 19)}`, OffsetTimeOriginal: '+07:00' };
}

async function photo(at: [number, number], takenAt: Date, size = 2400): Promise<Buffer> {
  return sharp({ create: { width: size, height: Math.round(size * 0.75), channels: 3, background: { r: 40, g: 120, b: 60 } } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'TestCam', Artist: 'Người Chụp Riêng Tư' },
      IFD2: exifDate(takenAt),
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: rational(at[1]), GPSLongitudeRef: 'E', GPSLongitude: rational(at[0]) },
    })
    .toBuffer();
}

function form(report: Record<string, unknown>, files: Array<{ bytes: Buffer; name: string; type?: string }>, field = 'photos'): FormData {
  const body = new FormData();
  body.append('report', JSON.stringify(report));
  for (const file of files) body.append(field, new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'image/jpeg' }), file.name);
  return body;
}

const report = () => ({ category: 'roads_pavements', description: 'Ổ gà lớn giữa đường', location: { type: 'Point', coordinates: pin }, accuracyM: 8 });

describe('reports with photos (multipart)', () => {
  it('keeps the original privately, publishes a resized copy without metadata, and verifies the location from EXIF', async () => {
    const upload = await photo([pin[0] + 0.0003, pin[1]], new Date(Date.now() - 3_600_000));
    const response = await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body: form(report(), [{ bytes: upload, name: 'IMG_0001.JPG' }]) });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created.photos).toBe(1);

    const view = await (await fetch(`${server.baseUrl}/api/reports/${created.trackingCode}`)).json();
    expect(view.photos).toHaveLength(1);
    const publicCopy = await fetch(`${server.baseUrl}${view.photos[0].url}`);
    expect(publicCopy.status).toBe(200);
    expect(publicCopy.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await publicCopy.arrayBuffer());
    const metadata = await sharp(bytes).metadata();
    expect(Math.max(metadata.width!, metadata.height!)).toBeLessThanOrEqual(1600);
    expect(metadata.exif).toBeUndefined();
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(bytes.includes(Buffer.from('Riêng Tư'))).toBe(false);

    const staffView = await (await fetch(`${server.baseUrl}/api/staff/reports/${created.id}`, { headers: { Authorization: `Bearer ${officerToken}` } })).json();
    expect(staffView.locationCheck.verdict).toBe('verified');
    expect(staffView.locationCheck.detail).toMatch(/photo 1 taken \d+ m from the pin/);
    const original = await fetch(`${server.baseUrl}${staffView.photos[0].originalUrl}`, { headers: { Authorization: `Bearer ${officerToken}` } });
    expect(Buffer.from(await original.arrayBuffer()).equals(upload)).toBe(true);
    expect((await fetch(`${server.baseUrl}${staffView.photos[0].originalUrl}`)).status).toBe(401);
  });

  it('publishes the office\'s before and after photos with the public steps, and keeps photos of internal notes private', async () => {
    const created = await (await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body: form(report(), []) })).json();
    const act = async (action: Record<string, unknown>, name: string) => {
      const body = new FormData();
      body.append('action', JSON.stringify(action));
      body.append('photos', new Blob([new Uint8Array(await photo(pin, new Date(), 1200))], { type: 'image/jpeg' }), name);
      const response = await fetch(`${server.baseUrl}/api/staff/reports/${created.id}/actions`, { method: 'POST', headers: { Authorization: `Bearer ${officerToken}` }, body });
      expect(response.status, await response.clone().text()).toBe(200);
    };
    await act({ action: 'accept', note: 'Đã tiếp nhận, kiểm tra hiện trường.' }, 'truoc.jpg');
    await act({ action: 'add_note', note: 'Ảnh nội bộ: vị trí tập kết vật liệu.', public: false }, 'noi-bo.jpg');
    await act({ action: 'resolve', answer: 'Đã vá ổ gà, mặt đường thông thoáng.' }, 'sau.jpg');

    const view = await (await fetch(`${server.baseUrl}/api/reports/${created.trackingCode}`)).json();
    expect(view.status).toBe('resolved');
    expect(view.answer.text).toBe('Đã vá ổ gà, mặt đường thông thoáng.');
    const stepPhotos = (kind: string) => view.timeline.filter((step: { kind: string }) => step.kind === kind).flatMap((step: { photos: Array<{ role: string; url: string }> }) => step.photos);
    expect(stepPhotos('accepted').map((item: { role: string }) => item.role)).toEqual(['before']);
    expect(stepPhotos('resolved').map((item: { role: string }) => item.role)).toEqual(['after']);
    // The internal note is not in the public timeline, and neither is its photo.
    expect(view.photos.map((item: { role: string }) => item.role).sort()).toEqual(['after', 'before']);
    expect(JSON.stringify(view)).not.toMatch(/nội bộ/);
    const after = Buffer.from(await (await fetch(`${server.baseUrl}${stepPhotos('resolved')[0].url}`)).arrayBuffer());
    expect((await sharp(after).metadata()).exif).toBeUndefined();

    // Staff see all three, the internal one with its note.
    const staffView = await (await fetch(`${server.baseUrl}/api/staff/reports/${created.id}`, { headers: { Authorization: `Bearer ${officerToken}` } })).json();
    const internal = staffView.timeline.find((step: { note: string | null }) => step.note?.startsWith('Ảnh nội bộ'));
    expect(internal.public).toBe(false);
    expect(internal.photos).toHaveLength(1);
  });

  it('marks a mismatch when the photo was taken far away and long ago', async () => {
    const upload = await photo([103.42, 21.59], new Date(Date.now() - 40 * 86_400_000), 400);
    const created = await (await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body: form(report(), [{ bytes: upload, name: 'old.jpg' }]) })).json();
    const staffView = await (await fetch(`${server.baseUrl}/api/staff/reports/${created.id}`, { headers: { Authorization: `Bearer ${officerToken}` } })).json();
    expect(staffView.locationCheck.verdict).toBe('mismatch');
    expect(staffView.locationCheck.detail).toMatch(/km away/);
    expect(staffView.locationCheck.detail).toMatch(/40 days ago/);
    // The public never sees the verdict.
    const view = await (await fetch(`${server.baseUrl}/api/reports/${created.trackingCode}`)).text();
    expect(view).not.toMatch(/mismatch|km away/);
  });

  it.each([
    ['a PDF named .jpg', () => [{ bytes: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), name: 'photo.jpg' }], 415, /not a supported photo|JPEG, PNG, WebP, HEIC/],
    ['a GIF', () => [{ bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary'), name: 'a.gif', type: 'image/gif' }], 415, /GIF/],
    ['six photos', () => Array.from({ length: 6 }, (_, index) => ({ bytes: Buffer.from([0xff, 0xd8, 0xff]), name: `${index}.jpg` })), 400, /At most 5 photos/],
    ['a file over 10 MB', () => [{ bytes: Buffer.alloc(10 * 1024 * 1024 + 10, 0xff), name: 'big.jpg' }], 413, /at most 10 MB/],
    ['a truncated JPEG', async () => [{ bytes: (await photo(pin, new Date(), 300)).subarray(0, 200), name: 'cut.jpg' }], 400, /cannot be read/],
    ['photos in the wrong field', () => [{ bytes: Buffer.from([0xff, 0xd8, 0xff]), name: 'x.jpg' }], 400, /"photos" field/],
  ] as const)('refuses %s with a clear 4xx and stores nothing', async (name, files, status, message) => {
    const before = await databaseFingerprint(database.db);
    const body = form(report(), await files(), name === 'photos in the wrong field' ? 'image' : 'photos');
    const response = await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body });
    expect(response.status).toBe(status);
    expect((await response.json()).error.message).toMatch(message);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('refuses a decompression bomb (huge dimensions, tiny file) with 413', async () => {
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const response = await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body: form(report(), [{ bytes: bomb, name: 'bomb.png', type: 'image/png' }]) });
    expect(response.status).toBe(413);
  });
});
