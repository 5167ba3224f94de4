/**
 * The desk's working parts (the queue, a report's page with its action forms, the map layer), in a
 * chunk of their own: office-view.ts fetches it once a member of staff has signed in, so a visitor of
 * `/office` who is not signed in downloads the sign-in form and no more.
 */
export { createQueue } from './office-queue.ts';
export { createReportPage } from './office-report.ts';
export { mountOfficeMap } from './office-map.ts';
