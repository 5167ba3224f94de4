import { cameraStatusEvent, feedEventTypes, feedPositionEvent, type CameraStatusEventData, type FeedEventData, type FeedEventType, type ReportStatus } from '@bandoso/contracts';

/** `data` of a `report.created` / `report.updated` event of `GET /api/reports/events`, and of its `camera.status` events, as the server's contract says. */
export type { CameraStatusEventData, FeedEventData };

export interface LiveReport {
  /** The report's id: its page on the desk is /office/reports/{id}. */
  id: string;
  trackingCode: string;
  category: string;
  status: ReportStatus;
  overdue: boolean;
  coordinates: [number, number];
  commune: string;
  office: string;
  createdAt: string;
  /** When this page heard of it (ms), for how long it stands out. */
  arrivedAt: number;
}

/** The live list: newest first, one entry per report (an update replaces it), at most `limit`. */
export function mergeLiveReport(list: readonly LiveReport[], event: FeedEventData, arrivedAt: number, limit = 100): LiveReport[] {
  const { report } = event;
  const previous = list.find((item) => item.trackingCode === report.trackingCode);
  const entry: LiveReport = {
    id: report.id,
    trackingCode: report.trackingCode,
    category: report.category,
    status: report.status,
    overdue: report.overdue,
    coordinates: report.location.coordinates,
    commune: report.commune.name,
    office: report.office.name,
    createdAt: report.createdAt,
    // An update does not make an old report new again.
    arrivedAt: previous?.arrivedAt ?? arrivedAt,
  };
  return [entry, ...list.filter((item) => item.trackingCode !== report.trackingCode)].slice(0, limit);
}

export type FeedState = 'connecting' | 'open' | 'reconnecting';

/**
 * Listens to the platform's Server-Sent Events. EventSource reconnects by itself when a stream ends
 * and resumes after the last event id it saw (Last-Event-ID), so nothing is lost across a short
 * interruption. When the platform refuses a stream (503 while its database is unavailable),
 * EventSource gives up for good; this opens a new one after a growing pause (3 s, doubling to 30 s),
 * resuming after the last event received (`lastEventId`). `camera.status` events go to
 * `onCameraStatus`, when given.
 */
export function connectLiveReports(onEvent: (type: FeedEventType, data: FeedEventData) => void, onState: (state: FeedState) => void, onCameraStatus?: (data: CameraStatusEventData) => void): { close(): void } {
  let source: EventSource | undefined;
  let lastEventId = '';
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    const current = new EventSource(lastEventId ? `/api/reports/events?lastEventId=${encodeURIComponent(lastEventId)}` : '/api/reports/events');
    source = current;
    current.addEventListener('open', () => {
      failures = 0;
      onState('open');
    });
    current.addEventListener('error', () => {
      onState('reconnecting');
      if (current.readyState !== EventSource.CLOSED || closed) return;
      failures += 1;
      retryTimer = setTimeout(open, Math.min(30_000, 3000 * 2 ** (failures - 1)));
    });
    // The stream's first event gives its position: resuming from it misses nothing even when the
    // stream is lost before any report event.
    current.addEventListener(feedPositionEvent, (event) => {
      const message = event as MessageEvent<string>;
      if (message.lastEventId) lastEventId = message.lastEventId;
    });
    for (const type of feedEventTypes) {
      current.addEventListener(type, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastEventId = message.lastEventId;
        try {
          onEvent(type, JSON.parse(message.data) as FeedEventData);
        } catch {
          // A malformed event is skipped; the next one still arrives.
        }
      });
    }
    // A camera's health changed (no id: not replayed after a reconnection; the IOC reloads the list then).
    if (onCameraStatus) {
      current.addEventListener(cameraStatusEvent, (event) => {
        try {
          onCameraStatus(JSON.parse((event as MessageEvent<string>).data) as CameraStatusEventData);
        } catch {
          // Skipped, as above.
        }
      });
    }
  };

  onState('connecting');
  open();
  return {
    close: () => {
      closed = true;
      clearTimeout(retryTimer);
      source?.close();
    },
  };
}
