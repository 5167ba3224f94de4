/**
 * A small OpenStreetMap file of the project's own (issue 16), for the base map import's tests: a few
 * named streets of Điện Biên Phủ, the Nậm Rốm river and its water area, a park, land use, buildings
 * (one of them the Victory Museum), a village (bản) and the town, and a few named points of interest.
 * Coordinates are approximate and drawn by hand around 103.01–103.04 E, 21.37–21.40 N (inside the
 * province); nothing comes from a real extract. Written as OSM XML; the tests turn it into PBF with
 * `osmium cat`.
 */

export interface OsmFixtureOptions {
  /** A re-import test's "newer extract": Phố Mường Thanh is renamed and the footway is gone. */
  revision?: 1 | 2;
}

type Tags = Record<string, string>;
type Position = readonly [lon: number, lat: number];

interface WayDraft {
  tags: Tags;
  positions: readonly Position[];
  /** Closes the ring (an area). */
  closed?: boolean;
}

/** Names the tests look for. */
export const osmFixtureNames = {
  mainStreet: 'Đường Võ Nguyên Giáp',
  secondStreet: 'Đường Hoàng Văn Thái',
  smallStreet: 'Phố Mường Thanh',
  smallStreetRenamed: 'Phố Mường Thanh Mới',
  eastStreet: 'Đường Nguyễn Chí Thanh',
  river: 'Sông Nậm Rốm',
  stream: 'Suối Nậm Khẩu Hu',
  park: 'Công viên Nậm Rốm',
  museum: 'Bảo tàng Chiến thắng lịch sử Điện Biên Phủ',
  village: 'Bản Him Lam',
  town: 'Điện Biên Phủ',
  school: 'Trường THPT Chuyên Lê Quý Đôn',
} as const;

/** A rectangle as a closed ring (without the repeated first position: `closed` adds it). */
function box(west: number, south: number, east: number, north: number): Position[] {
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
  ];
}

export function buildOsmFixture(options: OsmFixtureOptions = {}): string {
  const revision = options.revision ?? 1;
  const names = osmFixtureNames;
  const ways: WayDraft[] = [
    {
      tags: { highway: 'primary', name: names.mainStreet, ref: 'QL279' },
      positions: [
        [103.012, 21.392],
        [103.02, 21.388],
        [103.03, 21.384],
        [103.038, 21.381],
      ],
    },
    {
      tags: { highway: 'secondary', name: names.secondStreet },
      positions: [
        [103.022, 21.399],
        [103.024, 21.39],
        [103.026, 21.378],
      ],
    },
    {
      tags: { highway: 'residential', name: revision === 1 ? names.smallStreet : names.smallStreetRenamed },
      positions: [
        [103.015, 21.38],
        [103.021, 21.382],
        [103.024, 21.386],
      ],
    },
    {
      tags: { highway: 'tertiary', name: names.eastStreet },
      positions: [
        [103.033, 21.392],
        [103.036, 21.388],
        [103.039, 21.384],
      ],
    },
    { tags: { highway: 'primary_link' }, positions: [[103.0295, 21.3842], [103.0299, 21.3852]] },
    ...(revision === 1 ? [{ tags: { highway: 'footway' }, positions: [[103.016, 21.384], [103.0185, 21.3855]] as Position[] }] : []),
    {
      tags: { waterway: 'river', name: names.river },
      positions: [
        [103.011, 21.399],
        [103.016, 21.39],
        [103.019, 21.383],
        [103.02, 21.372],
      ],
    },
    { tags: { waterway: 'stream', name: names.stream }, positions: [[103.031, 21.398], [103.025, 21.394], [103.0175, 21.389]] },
    {
      tags: { natural: 'water', water: 'river', name: names.river },
      closed: true,
      positions: [
        [103.0155, 21.3902],
        [103.0185, 21.383],
        [103.0192, 21.3832],
        [103.0164, 21.3905],
      ],
    },
    { tags: { leisure: 'park', name: names.park }, closed: true, positions: box(103.0195, 21.3835, 103.0215, 21.3855) },
    { tags: { landuse: 'residential' }, closed: true, positions: box(103.021, 21.386, 103.029, 21.392) },
    { tags: { natural: 'wood' }, closed: true, positions: box(103.032, 21.394, 103.039, 21.399) },
    { tags: { building: 'yes', tourism: 'museum', name: names.museum }, closed: true, positions: box(103.0292, 21.3848, 103.0302, 21.3856) },
    { tags: { building: 'school', amenity: 'school', name: names.school }, closed: true, positions: box(103.0225, 21.3875, 103.0232, 21.388) },
    { tags: { building: 'house' }, closed: true, positions: box(103.0222, 21.3866, 103.0224, 21.3868) },
    { tags: { building: 'yes' }, closed: true, positions: box(103.0226, 21.3866, 103.0228, 21.3868) },
    // A bow-tie: osmium's area assembler refuses it; the import goes on without it.
    {
      tags: { building: 'yes' },
      closed: true,
      positions: [
        [103.0236, 21.3866],
        [103.0239, 21.3869],
        [103.0239, 21.3866],
        [103.0236, 21.3869],
      ],
    },
  ];
  const points: Array<{ tags: Tags; position: Position }> = [
    { tags: { place: 'town', name: names.town, 'name:en': 'Dien Bien Phu' }, position: [103.017, 21.386] },
    { tags: { place: 'village', name: names.village }, position: [103.035, 21.395] },
    { tags: { amenity: 'hospital', name: 'Bệnh viện Đa khoa tỉnh Điện Biên' }, position: [103.0265, 21.391] },
    // Unnamed: not a point of interest a base map labels.
    { tags: { amenity: 'bench' }, position: [103.02, 21.385] },
  ];

  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="bandoso osm-fixture">'];
  const wayLines: string[] = [];
  let nodeId = 1000;
  const node = (position: Position, tags: Tags = {}) => {
    nodeId += 1;
    const attributes = `id="${nodeId}" version="1" timestamp="2025-01-01T00:00:00Z" lat="${position[1].toFixed(7)}" lon="${position[0].toFixed(7)}"`;
    const tagLines = tagXml(tags);
    lines.push(tagLines.length === 0 ? `  <node ${attributes}/>` : `  <node ${attributes}>`, ...tagLines.map((line) => `  ${line}`), ...(tagLines.length === 0 ? [] : ['  </node>']));
    return nodeId;
  };
  ways.forEach((way, index) => {
    const refs = way.positions.map((position) => node(position));
    if (way.closed) refs.push(refs[0]!);
    wayLines.push(`  <way id="${2000 + index + 1}" version="1" timestamp="2025-01-01T00:00:00Z">`, ...refs.map((ref) => `    <nd ref="${ref}"/>`), ...tagXml(way.tags).map((line) => `  ${line}`), '  </way>');
  });
  for (const point of points) node(point.position, point.tags);
  lines.push(...wayLines, '</osm>', '');
  return lines.join('\n');
}

function tagXml(tags: Tags): string[] {
  return Object.entries(tags).map(([key, value]) => `  <tag k="${escapeXml(key)}" v="${escapeXml(value)}"/>`);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
