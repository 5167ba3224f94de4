import { z } from 'zod';

/** One office as the seed file (and an admin import) describes it. */
export const officeSeedSchema = z.object({
  code: z.string().trim().min(1),
  name: z.string().trim().min(1),
  name_en: z.string().trim().min(1).nullish(),
  kind: z.enum(['commune_committee', 'department', 'police', 'utility', 'ioc']),
  responsibilities: z.array(z.string().trim().min(1)).default([]),
  covers: z.object({ set: z.string().trim().min(1), unit_codes: z.array(z.string().trim().min(1)).min(1) }).nullish(),
  phone: z.string().trim().min(1).nullish(),
  email: z.string().trim().min(1).nullish(),
  address: z.string().trim().min(1).nullish(),
  supervisor_code: z.string().trim().min(1).nullish(),
});

export const officeSeedFileSchema = z.array(officeSeedSchema);

export type OfficeSeed = z.infer<typeof officeSeedSchema>;
