import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { unknownSiteError } from './heritage-errors.ts';
import * as repository from './heritage.repository.ts';
import type { StopRow } from './heritage.repository.ts';
import type { StopInput, ToursFile } from './heritage.schema.ts';

/**
 * The sites' guided tours: the rules a tour meets (stops in order, cameras near the site, looking at
 * something), an admin's edit of one site's tour (`PUT /api/admin/heritage/{code}/stops`), and a
 * file of tours for many sites (`npm run import -- heritage-tours`, and the sample data), all or nothing.
 */

/** How far a stop's camera may stand from the site's point, horizontally (m), and how low and high. */
export const CAMERA_MAX_HORIZONTAL_M = 1000;
export const CAMERA_MIN_UP_M = -50;
export const CAMERA_MAX_UP_M = 1500;
/** How far from the site's point a camera may look (m). */
export const TARGET_MAX_DISTANCE_M = 1000;
/** A camera must look at something other than itself. */
const MIN_VIEW_DISTANCE_M = 0.5;

interface Problem {
  parameter: string;
  problem: string;
  vi: string;
}

/** What is wrong with a tour (beyond its shape, which the request schema checks): every problem, each naming its stop. */
export function tourProblems(stops: readonly StopInput[]): Problem[] {
  const problems: Problem[] = [];
  const ordinals = stops.map((stop) => stop.ordinal);
  const sorted = [...ordinals].sort((a, b) => a - b);
  if (sorted.some((ordinal, index) => ordinal !== index + 1)) {
    problems.push({
      parameter: 'stops',
      problem: `ordinals must be 1 to ${stops.length}, each once (got ${ordinals.join(', ')})`,
      vi: `số thứ tự các điểm dừng phải là 1 đến ${stops.length}, mỗi số một lần (đang là ${ordinals.join(', ')})`,
    });
  }
  const round = (value: number) => Math.round(value * 10) / 10;
  stops.forEach((stop, index) => {
    const where = `stops.${index}.camera`;
    const [east, north, up] = stop.camera.position;
    const [targetEast, targetNorth, targetUp] = stop.camera.target;
    const horizontal = Math.hypot(east, north);
    if (horizontal > CAMERA_MAX_HORIZONTAL_M) {
      problems.push({
        parameter: `${where}.position`,
        problem: `stop ${stop.ordinal}: the camera stands ${round(horizontal)} m from the site's point; it must be within ${CAMERA_MAX_HORIZONTAL_M} m`,
        vi: `điểm dừng ${stop.ordinal}: máy quay đặt cách điểm di tích ${round(horizontal)} m; phải trong vòng ${CAMERA_MAX_HORIZONTAL_M} m`,
      });
    }
    if (up < CAMERA_MIN_UP_M || up > CAMERA_MAX_UP_M) {
      problems.push({
        parameter: `${where}.position`,
        problem: `stop ${stop.ordinal}: the camera is ${round(up)} m up; it must be between ${CAMERA_MIN_UP_M} and ${CAMERA_MAX_UP_M} m`,
        vi: `điểm dừng ${stop.ordinal}: máy quay ở độ cao ${round(up)} m; phải trong khoảng ${CAMERA_MIN_UP_M} đến ${CAMERA_MAX_UP_M} m`,
      });
    }
    const targetDistance = Math.hypot(targetEast, targetNorth, targetUp);
    if (targetDistance > TARGET_MAX_DISTANCE_M) {
      problems.push({
        parameter: `${where}.target`,
        problem: `stop ${stop.ordinal}: the camera looks at a point ${round(targetDistance)} m from the site's point; it must look within ${TARGET_MAX_DISTANCE_M} m`,
        vi: `điểm dừng ${stop.ordinal}: máy quay nhìn vào điểm cách điểm di tích ${round(targetDistance)} m; phải trong vòng ${TARGET_MAX_DISTANCE_M} m`,
      });
    }
    if (Math.hypot(targetEast - east, targetNorth - north, targetUp - up) < MIN_VIEW_DISTANCE_M) {
      problems.push({
        parameter: `${where}.target`,
        problem: `stop ${stop.ordinal}: the camera's target is where the camera stands; put it on what the stop shows`,
        vi: `điểm dừng ${stop.ordinal}: điểm nhìn trùng vị trí máy quay; hãy đặt nó vào nơi cần cho xem`,
      });
    }
  });
  return problems;
}

/** A tour's stops as rows, in their order. */
function toStopRows(stops: readonly StopInput[]): StopRow[] {
  return [...stops].sort((a, b) => a.ordinal - b.ordinal).map(toStopRow);
}

function toStopRow(stop: StopInput): StopRow {
  return {
    ordinal: stop.ordinal,
    title_vi: stop.title.vi,
    title_en: stop.title.en,
    narration_vi: stop.narration.vi,
    narration_en: stop.narration.en,
    camera_east: stop.camera.position[0],
    camera_north: stop.camera.position[1],
    camera_up: stop.camera.position[2],
    target_east: stop.camera.target[0],
    target_north: stop.camera.target[1],
    target_up: stop.camera.target[2],
  };
}

/**
 * Replaces a site's tour in one transaction, after checking it; answers nothing (the caller reads the
 * site back). Used by the admin route and by the sample data, so both meet the same rules.
 */
export async function replaceSiteTour(db: Kysely<Database>, code: string, stops: readonly StopInput[]): Promise<void> {
  const problems = tourProblems(stops);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `The tour of ${code} was not saved: ${problems.map((item) => item.problem).join('; ')}. Nothing was changed.`, {
      vi: `Chưa lưu lộ trình tham quan của ${code}: ${problems.map((item) => item.vi).join('; ')}. Không có gì bị thay đổi.`,
      details: problems.map(({ parameter, problem }) => ({ parameter, problem })),
    });
  }
  await db.transaction().execute(async (transaction) => {
    const site = await repository.lockSite(transaction, code);
    if (!site) throw await unknownSiteError(transaction, code);
    await repository.replaceStops(transaction, site.id, toStopRows(stops));
  });
}

/** What `importTours` did, or would do (dry run), or why it did nothing. */
export interface ToursImportReport {
  status: 'imported' | 'valid' | 'rejected';
  /** Each site's tour in the file, with its number of stops. */
  sites: { code: string; stops: number }[];
  /** Every problem, each naming its site (nothing was written when there is one). */
  problems: { site: string; parameter: string; problem: string; vi: string }[];
}

/**
 * Replaces the tours of every site in the file, in one transaction, after checking them all (every
 * problem is reported, bad stops and unknown sites alike): a file with one of them changes nothing.
 * Sites not in the file keep their tours.
 */
export async function importTours(db: Kysely<Database>, tours: ToursFile, options: { dryRun?: boolean } = {}): Promise<ToursImportReport> {
  const entries = Object.entries(tours).sort(([a], [b]) => a.localeCompare(b));
  const sites = entries.map(([code, tour]) => ({ code, stops: tour.stops.length }));
  const problems: ToursImportReport['problems'] = entries.flatMap(([code, tour]) => tourProblems(tour.stops).map((problem) => ({ site: code, ...problem })));
  // Thrown to roll back (a problem, or a dry run): nothing is half written.
  const rollBack = new Error('roll back');
  try {
    await db.transaction().execute(async (transaction) => {
      const siteIds = new Map<string, string>();
      for (const [code] of entries) {
        const site = await repository.lockSite(transaction, code);
        if (site) siteIds.set(code, site.id);
        else {
          const error = await unknownSiteError(transaction, code);
          problems.push({ site: code, parameter: code, problem: error.message, vi: error.messageVi ?? error.message });
        }
      }
      if (problems.length > 0 || options.dryRun) throw rollBack;
      for (const [code, tour] of entries) await repository.replaceStops(transaction, siteIds.get(code)!, toStopRows(tour.stops));
    });
  } catch (error) {
    if (error !== rollBack) throw error;
    return { status: problems.length > 0 ? 'rejected' : 'valid', sites, problems };
  }
  return { status: 'imported', sites, problems };
}
