/** What the tests of this module share. */

/** A valid tour of `count` stops around the site's point (metres east, north, up). */
export function sampleStops(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    ordinal: index + 1,
    title: { vi: `Điểm dừng ${index + 1}`, en: `Stop ${index + 1}` },
    narration: { vi: `Lời thuyết minh ${index + 1}.`, en: `Narration ${index + 1}.` },
    camera: { position: [100 + index, -80, 60] as [number, number, number], target: [0, 0, 10] as [number, number, number] },
  }));
}
