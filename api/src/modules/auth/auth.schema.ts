import { z } from 'zod';

export const loginBodySchema = z.object({
  email: z.string().trim().toLowerCase().email('email must be an e-mail address'),
  password: z.string().min(1, 'password is required').max(200),
});

export const createTokenBodySchema = z.object({
  /** Days the bearer token stays valid. */
  days: z.coerce.number().int().min(1).max(365).default(30),
});
