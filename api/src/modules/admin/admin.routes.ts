import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database-schema.ts';
import { parseInput } from '../../http/validate-input.ts';
import { requireRole } from '../auth/auth.middleware.ts';
import type { ReportCalendarSource } from '../reports/report-calendar.ts';
import {
  apiClientBodySchema,
  apiClientIdSchema,
  calendarDaySchema,
  calendarExceptionBodySchema,
  categoryBodySchema,
  categoryCodeSchema,
  passwordBodySchema,
  priorityBodySchema,
  userBodySchema,
  userIdSchema,
  userListQuerySchema,
  userPatchSchema,
} from './admin.schema.ts';
import {
  addUser,
  createApiClient,
  listApiClientsForAdmin,
  listCategoriesForAdmin,
  listPrioritiesForAdmin,
  listUsersForAdmin,
  patchUser,
  removeCalendarException,
  resetUserPassword,
  revokeApiClient,
  saveCalendarException,
  saveCategory,
  setPriorityDeadline,
} from './admin.service.ts';
import { listCalendarExceptions } from './admin.repository.ts';

/** Rules and accounts, for admins: categories, deadlines, the holiday calendar, users, Open311 clients. */
export function createAdminRouter(db: Kysely<Database>, calendar: ReportCalendarSource): Router {
  const router = Router();
  const admin = requireRole('admin');

  router.get('/api/admin/categories', admin, async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await listCategoriesForAdmin(db));
  });

  router.get('/api/admin/priorities', admin, async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await listPrioritiesForAdmin(db));
  });

  router.put('/api/admin/categories/:code', admin, async (request, response) => {
    const code = parseInput(categoryCodeSchema, request.params.code, 'path');
    await saveCategory(db, code, parseInput(categoryBodySchema, request.body, 'body'));
    response.status(204).end();
  });

  router.put('/api/admin/priorities/:code', admin, async (request, response) => {
    const code = parseInput(z.enum(['urgent', 'normal', 'complex']), request.params.code, 'path');
    await setPriorityDeadline(db, code, parseInput(priorityBodySchema, request.body, 'body').resolveWorkingMinutes);
    response.status(204).end();
  });

  router.get('/api/calendar', async (_request, response) => {
    const days = await listCalendarExceptions(db);
    response.json({ days: days.map((day) => ({ day: day.day, kind: day.kind, nameVi: day.name_vi, nameEn: day.name_en })) });
  });

  router.put('/api/admin/calendar/:day', admin, async (request, response) => {
    const day = parseInput(calendarDaySchema, request.params.day, 'path');
    await saveCalendarException(db, calendar, day, parseInput(calendarExceptionBodySchema, request.body, 'body'));
    response.status(204).end();
  });

  router.delete('/api/admin/calendar/:day', admin, async (request, response) => {
    await removeCalendarException(db, calendar, parseInput(calendarDaySchema, request.params.day, 'path'));
    response.status(204).end();
  });

  router.post('/api/admin/users', admin, async (request, response) => {
    const id = await addUser(db, parseInput(userBodySchema, request.body, 'body'));
    response.status(201).json({ id });
  });

  router.get('/api/admin/users', admin, async (request, response) => {
    const query = parseInput(userListQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await listUsersForAdmin(db, query));
  });

  router.patch('/api/admin/users/:id', admin, async (request, response) => {
    // The id first: a malformed one is refused before the body is read.
    const id = parseInput(userIdSchema, request.params.id, 'path');
    const body = parseInput(userPatchSchema, request.body, 'body');
    response.set('Cache-Control', 'no-store').json(await patchUser(db, request.principal!, id, body));
  });

  router.post('/api/admin/users/:id/password', admin, async (request, response) => {
    const id = parseInput(userIdSchema, request.params.id, 'path');
    const { password } = parseInput(passwordBodySchema, request.body, 'body');
    await resetUserPassword(db, request.principal!, id, password);
    response.status(204).end();
  });

  router.post('/api/admin/api-clients', admin, async (request, response) => {
    const client = await createApiClient(db, parseInput(apiClientBodySchema, request.body, 'body').name);
    response.status(201).json({ id: client.id, apiKey: client.apiKey, note: 'Shown once: store it now.' });
  });

  router.get('/api/admin/api-clients', admin, async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await listApiClientsForAdmin(db));
  });

  router.delete('/api/admin/api-clients/:id', admin, async (request, response) => {
    await revokeApiClient(db, parseInput(apiClientIdSchema, request.params.id, 'path'));
    response.status(204).end();
  });

  return router;
}
