import type { PublicReportRow } from './reports.repository.ts';
import type * as repository from './reports.repository.ts';

/**
 * How reports look from outside. Public views are built from public columns only (the repository
 * never selects reporter details for them); staff views add what staff may see.
 */
type EventRow = Awaited<ReturnType<typeof repository.listEvents>>[number];
type PhotoRow = Awaited<ReturnType<typeof repository.listPhotos>>[number];

export function photoUrl(photoId: string): string {
  return `/api/photos/${photoId}`;
}

export function publicPhoto(photo: PhotoRow) {
  return { id: photo.id, url: photoUrl(photo.id), role: photo.role, width: photo.width, height: photo.height };
}

export function publicSummary(row: PublicReportRow) {
  return {
    id: row.id,
    trackingCode: row.tracking_code,
    category: { code: row.category_code, nameVi: row.category_name_vi, nameEn: row.category_name_en },
    status: row.status,
    priority: row.priority,
    description: row.description,
    location: row.location,
    address: row.address,
    commune: { code: row.unit_code, name: row.unit_name },
    office: { code: row.office_code, name: row.office_name, nameEn: row.office_name_en },
    createdAt: row.created_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgeDueAt: row.acknowledge_due_at.toISOString(),
    dueAt: row.due_at?.toISOString() ?? null,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    overdue: row.overdue,
    rejectionReason: row.rejection_reason,
    answer: row.public_answer ? { text: row.public_answer, at: row.answered_at?.toISOString() ?? null } : null,
    rating: row.rating ? { value: row.rating, comment: row.rating_comment, at: row.rated_at?.toISOString() ?? null } : null,
    duplicateOf: row.duplicate_of_tracking_code,
  };
}

export function publicTimeline(events: EventRow[], photos: PhotoRow[]) {
  return events
    .filter((event) => event.public)
    .map((event) => ({
      at: event.created_at.toISOString(),
      kind: event.kind,
      fromStatus: event.from_status,
      toStatus: event.to_status,
      by: event.actor_role === 'citizen' ? 'citizen' : event.actor_role === 'system' ? 'system' : 'office',
      office: event.office_code ? { code: event.office_code, name: event.office_name } : null,
      note: event.note,
      photos: photos.filter((photo) => photo.event_id === event.id).map(publicPhoto),
    }));
}

export function staffTimeline(events: EventRow[], photos: PhotoRow[]) {
  return events.map((event) => ({
    seq: event.seq,
    at: event.created_at.toISOString(),
    kind: event.kind,
    fromStatus: event.from_status,
    toStatus: event.to_status,
    actorRole: event.actor_role,
    actorUserId: event.actor_user_id,
    office: event.office_code ? { code: event.office_code, name: event.office_name } : null,
    note: event.note,
    public: event.public,
    data: event.data,
    photos: photos.filter((photo) => photo.event_id === event.id).map(publicPhoto),
  }));
}
