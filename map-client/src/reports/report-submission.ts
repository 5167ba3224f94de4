import { ApiError, fetchJson, postWithProgress, setCsrfToken } from '../app/api-client.ts';
import type { QueuedReport } from '../offline/local-database-schema.ts';
import type { SubmissionReceipt } from './report-api.ts';

/** The JSON of `POST /api/reports`, built the same way on every attempt (the platform hashes it with the key). */
export function submissionBody(report: Pick<QueuedReport, 'category' | 'description' | 'location' | 'contact'>): Record<string, unknown> {
  const { lon, lat, accuracyM } = report.location;
  const contact = report.contact;
  const hasContact = contact && (contact.name || contact.phone || contact.email);
  return {
    category: report.category,
    description: report.description,
    location: { type: 'Point', coordinates: [lon, lat] },
    ...(accuracyM === undefined ? {} : { accuracyM: Math.round(accuracyM * 10) / 10 }),
    ...(hasContact
      ? {
          reporter: {
            ...(contact.name ? { name: contact.name } : {}),
            ...(contact.phone ? { phone: contact.phone } : {}),
            ...(contact.email ? { email: contact.email } : {}),
            consentToContact: contact.consentToContact,
          },
        }
      : {}),
  };
}

/**
 * Sends one queued report: JSON without photos, multipart (a `report` JSON part and `photos`) with
 * them, always with the report's Idempotency-Key. A browser signed in as staff sends its session
 * cookie too; if the platform then asks for the CSRF token, it is fetched once and the send repeated.
 */
export async function sendQueuedReport(report: QueuedReport, onProgress: (share: number) => void): Promise<SubmissionReceipt> {
  const attempt = () => {
    const json = JSON.stringify(submissionBody(report));
    const headers: Record<string, string> = { 'Idempotency-Key': report.id };
    let body: FormData | string;
    if (report.photos.length > 0) {
      const form = new FormData();
      form.append('report', json);
      for (const photo of report.photos) form.append('photos', new Blob([photo.bytes], { type: photo.type }), photo.name);
      body = form;
    } else {
      headers['Content-Type'] = 'application/json';
      body = json;
    }
    // Generous: a few MB over a slow mountain connection.
    return postWithProgress<SubmissionReceipt>('/api/reports', body, { headers, onProgress, timeoutMs: 180_000 });
  };
  try {
    return (await attempt()).body;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403 && /csrf/i.test(error.message))) throw error;
    const me = await fetchJson<{ csrfToken?: string }>('/api/auth/me').catch(() => undefined);
    setCsrfToken(me?.csrfToken);
    return (await attempt()).body;
  }
}
