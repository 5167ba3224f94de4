import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { readPublic } from '../../db/replica.ts';
import { parseInput } from '../../http/validate-input.ts';
import { getStatistics, listOverdueReports, statisticsFileName, statisticsToCsv } from './stats.service.ts';
import { overdueListQuerySchema, statisticsQuerySchema } from './stats.schema.ts';

/**
 * Public statistics: no sign-in, no personal data (the aggregates hold none). Current to the last
 * committed write, so responses may be revalidated (ETag) but not reused without asking.
 */
export function createStatisticsRouter(db: Kysely<Database>): Router {
  const router = Router();

  router.get('/api/stats', async (request, response) => {
    const query = parseInput(statisticsQuerySchema, request.query, 'query');
    const format = query.format ?? (request.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json');
    // On the read replica when it is current (see db/replica.ts), else the primary.
    const report = await readPublic(db, (reader) => getStatistics(reader, query));
    response.set('Cache-Control', 'no-cache').vary('Accept');
    if (format === 'csv') {
      // The file name is ASCII made of validated dates, so it needs no encoding.
      response
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${statisticsFileName(report)}"`)
        .send(statisticsToCsv(report));
      return;
    }
    response.json(report);
  });

  router.get('/api/stats/overdue', async (request, response) => {
    const query = parseInput(overdueListQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-cache').json(await readPublic(db, (reader) => listOverdueReports(reader, query)));
  });

  return router;
}
