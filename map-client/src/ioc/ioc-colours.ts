/** Colours of the operations view (no deck.gl here: unit-tested, and shared with the DOM legend). */
export type Rgba = [number, number, number, number];

const ramp: [number, [number, number, number]][] = [
  [0, [215, 48, 39]],
  [0.5, [254, 224, 139]],
  [1, [26, 152, 80]],
];

/** On-time rate 0…1 → red (few on time) through yellow to green; grey when there are no figures. */
export function onTimeColour(rate: number | null | undefined, alpha = 170): Rgba {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return [160, 160, 160, 90];
  const clamped = Math.min(1, Math.max(0, rate));
  for (let index = 1; index < ramp.length; index += 1) {
    const [stop, colour] = ramp[index]!;
    const [previousStop, previousColour] = ramp[index - 1]!;
    if (clamped <= stop) {
      const share = (clamped - previousStop) / (stop - previousStop);
      return [0, 1, 2].map((channel) => Math.round(previousColour[channel]! + (colour[channel]! - previousColour[channel]!) * share)).concat(alpha) as Rgba;
    }
  }
  return [...ramp.at(-1)![1], alpha];
}

/** Density hexagons: light to dark purple. */
export const densityColourRange: [number, number, number][] = [
  [237, 231, 246],
  [209, 196, 233],
  [179, 157, 219],
  [149, 117, 205],
  [103, 58, 183],
  [69, 39, 160],
];

/** A new report stands out (magenta) for this long, then shows in its status colour. */
export const newReportMs = 60_000;

export function liveReportColour(report: { status: string; overdue: boolean; arrivedAt: number }, now: number): Rgba {
  if (now - report.arrivedAt < newReportMs) return [233, 30, 99, 255];
  if (report.overdue) return [198, 40, 40, 255];
  if (report.status === 'resolved') return [46, 125, 50, 255];
  return [249, 168, 37, 255];
}
