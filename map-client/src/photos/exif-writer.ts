/**
 * A minimal EXIF writer: the evidence the platform's location check reads (GPS position, GPS date
 * and time, capture time with its offset), written back into a JPEG that a canvas re-encoded.
 *
 * Why not copy the whole original EXIF block (piexifjs and the like): the re-encoded pixels are
 * already upright, so the original Orientation tag would turn them again; the original block may
 * carry a thumbnail of the unresized photo, the camera's serial number and maker notes that the
 * platform does not need; and piexifjs is unmaintained. Writing the few tags we need is ~150 lines,
 * tested against the server's own reader (sharp + exifr, api/src/modules/photos).
 */
export interface PhotoEvidence {
  latitude: number | undefined;
  longitude: number | undefined;
  /** EXIF DateTimeOriginal, 'YYYY:MM:DD HH:MM:SS' (camera-local time). */
  dateTimeOriginal: string | undefined;
  /** EXIF OffsetTimeOriginal, '+07:00'. */
  offsetTimeOriginal: string | undefined;
  /** GPSDateStamp 'YYYY:MM:DD' (UTC). */
  gpsDateStamp: string | undefined;
  /** GPSTimeStamp [hours, minutes, seconds] (UTC). */
  gpsTimeStamp: [number, number, number] | undefined;
}

export const noEvidence: PhotoEvidence = Object.freeze({
  latitude: undefined,
  longitude: undefined,
  dateTimeOriginal: undefined,
  offsetTimeOriginal: undefined,
  gpsDateStamp: undefined,
  gpsTimeStamp: undefined,
});

export function hasPosition(evidence: PhotoEvidence): boolean {
  return evidence.latitude !== undefined && evidence.longitude !== undefined && Number.isFinite(evidence.latitude) && Number.isFinite(evidence.longitude);
}

export function hasEvidence(evidence: PhotoEvidence): boolean {
  return hasPosition(evidence) || evidence.dateTimeOriginal !== undefined || (evidence.gpsDateStamp !== undefined && evidence.gpsTimeStamp !== undefined);
}

/** TIFF field types used here. */
const FieldType = { Byte: 1, Ascii: 2, Long: 4, Rational: 5 } as const;
type FieldType = (typeof FieldType)[keyof typeof FieldType];

interface Field {
  tag: number;
  type: FieldType;
  count: number;
  /** The value bytes, big-endian. */
  value: Uint8Array;
}

const ascii = (tag: number, text: string): Field => {
  const bytes = new Uint8Array(text.length + 1);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index) & 0x7f;
  return { tag, type: FieldType.Ascii, count: bytes.length, value: bytes };
};

const rationals = (tag: number, values: readonly [number, number][]): Field => {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach(([numerator, denominator], index) => {
    view.setUint32(index * 8, numerator);
    view.setUint32(index * 8 + 4, denominator);
  });
  return { tag, type: FieldType.Rational, count: values.length, value: bytes };
};

const long = (tag: number, value: number): Field => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return { tag, type: FieldType.Long, count: 1, value: bytes };
};

/** Degrees as EXIF writes them: degrees/1, minutes/1, seconds/10000. */
export function degreesToRationals(decimal: number): [number, number][] {
  const absolute = Math.abs(decimal);
  let degrees = Math.floor(absolute);
  let minutes = Math.floor((absolute - degrees) * 60);
  let tenThousandthSeconds = Math.round(((absolute - degrees) * 60 - minutes) * 60 * 10_000);
  if (tenThousandthSeconds >= 600_000) {
    tenThousandthSeconds -= 600_000;
    minutes += 1;
  }
  if (minutes >= 60) {
    minutes -= 60;
    degrees += 1;
  }
  return [
    [degrees, 1],
    [minutes, 1],
    [tenThousandthSeconds, 10_000],
  ];
}

function gpsFields(evidence: PhotoEvidence): Field[] {
  const fields: Field[] = [];
  const position = hasPosition(evidence);
  const time = evidence.gpsDateStamp !== undefined && evidence.gpsTimeStamp !== undefined;
  if (!position && !time) return fields;
  fields.push({ tag: 0x0000, type: FieldType.Byte, count: 4, value: new Uint8Array([2, 3, 0, 0]) }); // GPSVersionID
  if (position) {
    fields.push(ascii(0x0001, evidence.latitude! < 0 ? 'S' : 'N'));
    fields.push(rationals(0x0002, degreesToRationals(evidence.latitude!)));
    fields.push(ascii(0x0003, evidence.longitude! < 0 ? 'W' : 'E'));
    fields.push(rationals(0x0004, degreesToRationals(evidence.longitude!)));
  }
  if (time) {
    const [hours, minutes, seconds] = evidence.gpsTimeStamp!;
    fields.push(rationals(0x0007, [[Math.floor(hours), 1], [Math.floor(minutes), 1], [Math.round(seconds * 1000), 1000]]));
    fields.push(ascii(0x001d, evidence.gpsDateStamp!));
  }
  return fields;
}

function exifFields(evidence: PhotoEvidence): Field[] {
  const fields: Field[] = [];
  if (evidence.dateTimeOriginal) fields.push(ascii(0x9003, evidence.dateTimeOriginal));
  if (evidence.dateTimeOriginal && evidence.offsetTimeOriginal) fields.push(ascii(0x9011, evidence.offsetTimeOriginal));
  return fields;
}

/** Bytes an IFD takes, its out-of-line values included (each padded to an even length). */
function ifdSize(fields: readonly Field[]): number {
  return 2 + fields.length * 12 + 4 + fields.reduce((total, field) => total + (field.value.length > 4 ? field.value.length + (field.value.length % 2) : 0), 0);
}

function writeIfd(view: DataView, bytes: Uint8Array, offset: number, fields: readonly Field[]): void {
  const sorted = [...fields].sort((a, b) => a.tag - b.tag);
  view.setUint16(offset, sorted.length);
  let dataOffset = offset + 2 + sorted.length * 12 + 4;
  sorted.forEach((field, index) => {
    const entry = offset + 2 + index * 12;
    view.setUint16(entry, field.tag);
    view.setUint16(entry + 2, field.type);
    view.setUint32(entry + 4, field.count);
    if (field.value.length <= 4) {
      bytes.set(field.value, entry + 8);
    } else {
      view.setUint32(entry + 8, dataOffset);
      bytes.set(field.value, dataOffset);
      dataOffset += field.value.length + (field.value.length % 2);
    }
  });
  view.setUint32(offset + 2 + sorted.length * 12, 0); // no next IFD
}

/** The TIFF structure (big-endian) holding IFD0 → Exif IFD and GPS IFD. */
export function buildTiff(evidence: PhotoEvidence): Uint8Array {
  const exif = exifFields(evidence);
  const gps = gpsFields(evidence);
  const pointerPlaceholders: Field[] = [...(exif.length ? [long(0x8769, 0)] : []), ...(gps.length ? [long(0x8825, 0)] : [])];
  const ifd0Offset = 8;
  const exifOffset = ifd0Offset + ifdSize(pointerPlaceholders);
  const gpsOffset = exifOffset + (exif.length ? ifdSize(exif) : 0);
  const total = gpsOffset + (gps.length ? ifdSize(gps) : 0);
  const ifd0: Field[] = [...(exif.length ? [long(0x8769, exifOffset)] : []), ...(gps.length ? [long(0x8825, gpsOffset)] : [])];

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x4d, 0x00, 0x2a]); // "MM", 42
  view.setUint32(4, ifd0Offset);
  writeIfd(view, bytes, ifd0Offset, ifd0);
  if (exif.length) writeIfd(view, bytes, exifOffset, exif);
  if (gps.length) writeIfd(view, bytes, gpsOffset, gps);
  return bytes;
}

/** A whole APP1 segment: marker, length, "Exif\0\0", TIFF. */
export function buildExifSegment(evidence: PhotoEvidence): Uint8Array {
  const tiff = buildTiff(evidence);
  const length = 2 + 6 + tiff.length;
  if (length > 0xffff) throw new RangeError('EXIF segment too large');
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00]);
  segment.set(tiff, 10);
  return segment;
}

/**
 * The JPEG with its EXIF replaced by the evidence: any APP1 "Exif" segment is dropped, the new one
 * goes right after SOI (after the JFIF APP0 when there is one, as the JFIF and EXIF specs want).
 */
export function withExif(jpeg: Uint8Array, evidence: PhotoEvidence): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new TypeError('not a JPEG');
  const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
  let offset = 2;
  let inserted = false;
  const segment = hasEvidence(evidence) ? buildExifSegment(evidence) : undefined;
  const insert = () => {
    if (!inserted && segment) parts.push(segment);
    inserted = true;
  };
  // Walk the APPn segments at the start; everything from the first other marker on is kept as is.
  while (offset + 4 <= jpeg.length && jpeg[offset] === 0xff && jpeg[offset + 1]! >= 0xe0 && jpeg[offset + 1]! <= 0xef) {
    const marker = jpeg[offset + 1]!;
    const length = (jpeg[offset + 2]! << 8) | jpeg[offset + 3]!;
    const end = offset + 2 + length;
    const isExif = marker === 0xe1 && jpeg[offset + 4] === 0x45 && jpeg[offset + 5] === 0x78 && jpeg[offset + 6] === 0x69 && jpeg[offset + 7] === 0x66;
    if (marker !== 0xe0) insert();
    if (!isExif) parts.push(jpeg.subarray(offset, end));
    offset = end;
  }
  insert();
  parts.push(jpeg.subarray(offset));
  const result = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let position = 0;
  for (const part of parts) {
    result.set(part, position);
    position += part.length;
  }
  return result;
}

/** Reads the evidence out of exifr's raw output (reviveValues: false), the way the server does. */
export function evidenceFromTags(tags: Record<string, unknown> | undefined): PhotoEvidence {
  if (!tags) return noEvidence;
  const coordinate = (value: unknown, reference: unknown, negative: string, limit: number): number | undefined => {
    const parts = Array.isArray(value) ? value.map(Number) : typeof value === 'number' ? [value] : [];
    if (parts.length === 0 || parts.length > 3 || !parts.every(Number.isFinite)) return undefined;
    const [degrees = 0, minutes = 0, seconds = 0] = parts;
    const result = (degrees + minutes / 60 + seconds / 3600) * (typeof reference === 'string' && reference.trim().toUpperCase() === negative ? -1 : 1);
    return Math.abs(result) <= limit ? result : undefined;
  };
  let latitude = coordinate(tags.GPSLatitude, tags.GPSLatitudeRef, 'S', 90);
  let longitude = coordinate(tags.GPSLongitude, tags.GPSLongitudeRef, 'W', 180);
  if (latitude === 0 && longitude === 0) latitude = longitude = undefined;
  const text = (value: unknown, pattern: RegExp) => (typeof value === 'string' && pattern.test(value.trim()) ? value.trim() : undefined);
  const timeStamp = Array.isArray(tags.GPSTimeStamp) && tags.GPSTimeStamp.length === 3 && tags.GPSTimeStamp.every((part) => Number.isFinite(Number(part))) ? (tags.GPSTimeStamp.map(Number) as [number, number, number]) : undefined;
  return {
    latitude,
    longitude,
    dateTimeOriginal: text(tags.DateTimeOriginal, /^\d{4}:\d{2}:\d{2}[ T]\d{2}:\d{2}:\d{2}/)?.slice(0, 19).replace('T', ' '),
    offsetTimeOriginal: text(tags.OffsetTimeOriginal, /^[+-]\d{2}:\d{2}$/),
    gpsDateStamp: text(tags.GPSDateStamp, /^\d{4}:\d{2}:\d{2}$/),
    gpsTimeStamp: timeStamp,
  };
}
