import { z } from 'zod';
import { reportStatuses } from './report-status.ts';

/** A report status in a response. */
export const reportStatusSchema = z.enum(reportStatuses);
