/** The sites the generator builds, in a stable order. */
import type { SiteModel } from '../site-model.ts';
import { doiA1 } from './doi-a1.ts';
import { hamDeCastries } from './ham-de-castries.ts';
import { muongPhang } from './muong-phang.ts';
import { tuongDai } from './tuong-dai.ts';

export const generatedSites: readonly SiteModel[] = [doiA1, hamDeCastries, tuongDai, muongPhang];
