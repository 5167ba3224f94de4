import { Router } from 'express';
import { parseInput } from '../../http/validate-input.ts';
import { requireRole } from '../auth/auth.middleware.ts';
import type { ReportsContext } from '../reports/reports-context.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './signing.ts';
import { WebhookTargetGuard, type WebhookTargetPolicy } from './webhook-target-policy.ts';
import { configureWebhook, getWebhook, listDeliveryLog, receiveInboundUpdate, redeliver } from './webhooks.service.ts';
import { deliveriesQuerySchema, deliveryIdSchema, inboundOfficeCodeSchema, putWebhookSchema, webhookQuerySchema } from './webhooks.schema.ts';

export { keepRawWebhookBody } from './signing.ts';

/**
 * Webhooks to the offices' document systems: their configuration and delivery log (staff), and the
 * signed endpoint where a document system posts status updates back. docs/webhooks.md is the
 * integrator's guide to the signatures (README.md in this folder to the rest).
 */
export function createWebhooksRouter(context: ReportsContext, targetPolicy: WebhookTargetPolicy): Router {
  const router = Router();
  const { db } = context;
  const guard = new WebhookTargetGuard(targetPolicy);

  router.put('/api/staff/webhook', requireRole('officer', 'admin'), async (request, response) => {
    const input = parseInput(putWebhookSchema, request.body, 'body');
    const { created, webhook } = await configureWebhook(db, request.principal!, input, guard);
    response.status(created ? 201 : 200).set('Cache-Control', 'no-store').json(webhook);
  });

  router.get('/api/staff/webhook', requireRole('officer', 'ioc_operator', 'admin'), async (request, response) => {
    const query = parseInput(webhookQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await getWebhook(db, request.principal!, query.office));
  });

  router.get('/api/staff/webhook/deliveries', requireRole('officer', 'ioc_operator', 'admin'), async (request, response) => {
    const query = parseInput(deliveriesQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await listDeliveryLog(db, request.principal!, query));
  });

  router.post('/api/staff/webhook/deliveries/:deliveryId/redeliver', requireRole('officer', 'admin'), async (request, response) => {
    const deliveryId = parseInput(deliveryIdSchema, request.params.deliveryId, 'path');
    await redeliver(db, request.principal!, deliveryId);
    response.status(202).json({ id: deliveryId, status: 'pending' });
  });

  router.post('/api/webhooks/inbound/:officeCode', async (request, response) => {
    const officeCode = parseInput(inboundOfficeCodeSchema, request.params.officeCode, 'path');
    const result = await receiveInboundUpdate(context, {
      officeCode,
      rawBody: request.rawBody,
      body: request.body,
      signature: {
        webhookId: request.get(WEBHOOK_ID_HEADER),
        webhookTimestamp: request.get(WEBHOOK_TIMESTAMP_HEADER),
        webhookSignature: request.get(WEBHOOK_SIGNATURE_HEADER),
        legacyTimestamp: request.get(TIMESTAMP_HEADER),
        legacySignature: request.get(SIGNATURE_HEADER),
      },
    });
    response.set('Cache-Control', 'no-store').json(result);
  });

  return router;
}
