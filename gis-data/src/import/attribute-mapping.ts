import type { Geometry, Point } from 'geojson';
import { normalizeKey } from '../text/fold-vietnamese.ts';
import type { AttributeSpec, LayerSpec } from './layer-specs.ts';
import { formatNumber } from './geometry-checks.ts';

/**
 * Finding each canonical attribute among a feature's source properties, and coercing its value.
 */

/** The longest field name a dBASE table (and so a shapefile) can hold. */
const dbfFieldNameLength = 10;

export interface AttributeSource {
  /** The source property name it was read from, or null when absent. */
  sourceKey: string | null;
  value: unknown;
}

export interface PropertyResolver {
  /** Problems with the --map options themselves (unknown attribute names). */
  mapProblems: string[];
  /** Finds every attribute of the layer in one feature's properties. */
  resolve(properties: Record<string, unknown>): Map<string, AttributeSource>;
  /** The source names tried for an attribute, for "missing" messages. */
  describeCandidates(attribute: string): string;
  /** The explicit mapping of an attribute, if any. */
  mappedSource(attribute: string): string | undefined;
}

/**
 * Builds the lookup for a layer. `propertyMap` is canonical name → source property (from
 * `--map code=MA_XA`); an output name (communes' `level`) is accepted for its source attribute.
 */
export function createPropertyResolver(spec: LayerSpec, propertyMap: Record<string, string> = {}): PropertyResolver {
  const mapProblems: string[] = [];
  const explicit = new Map<string, string>();
  for (const [target, source] of Object.entries(propertyMap)) {
    const attribute = spec.attributes.find((candidate) => candidate.name === target || candidate.outputName === target);
    if (!attribute) {
      mapProblems.push(
        `--map ${target}=${source}: "${target}" is not an attribute of layer ${spec.layer}; its attributes are ${spec.attributes.map((candidate) => candidate.name).join(', ')}`,
      );
    } else if (!source.trim()) {
      mapProblems.push(`--map ${target}=: give the source property name after "="`);
    } else {
      explicit.set(attribute.name, source);
    }
  }

  // Default candidates: the canonical name, the aliases, then 10-character DBF truncations of
  // those, unless a truncation would be shared by two attributes of the layer.
  const truncationOwners = new Map<string, Set<string>>();
  for (const attribute of spec.attributes) {
    for (const name of [attribute.name, ...attribute.aliases]) {
      if (name.length <= dbfFieldNameLength) continue;
      const key = normalizeKey(name.slice(0, dbfFieldNameLength));
      truncationOwners.set(key, (truncationOwners.get(key) ?? new Set()).add(attribute.name));
    }
  }
  const candidates = new Map<string, string[]>();
  for (const attribute of spec.attributes) {
    const names = [attribute.name, ...attribute.aliases];
    const keys = names.map(normalizeKey);
    for (const name of names) {
      if (name.length <= dbfFieldNameLength) continue;
      const key = normalizeKey(name.slice(0, dbfFieldNameLength));
      if (truncationOwners.get(key)?.size === 1) keys.push(key);
    }
    candidates.set(attribute.name, [...new Set(keys)]);
  }

  return {
    mapProblems,
    mappedSource: (attribute) => explicit.get(attribute),
    describeCandidates(attribute) {
      const mapped = explicit.get(attribute);
      if (mapped) return `"${mapped}" (from --map ${attribute}=${mapped})`;
      const spec_ = spec.attributes.find((candidate) => candidate.name === attribute);
      return [attribute, ...(spec_?.aliases ?? [])].map((name) => `"${name}"`).join(', ');
    },
    resolve(properties) {
      const byKey = new Map<string, string>();
      for (const key of Object.keys(properties)) {
        const normalized = normalizeKey(key);
        if (!byKey.has(normalized)) byKey.set(normalized, key);
      }
      const claimed = new Set<string>();
      const found = new Map<string, AttributeSource>();
      const take = (attribute: string, key: string | undefined) => {
        if (key === undefined) return false;
        claimed.add(key);
        found.set(attribute, { sourceKey: key, value: properties[key] });
        return true;
      };
      // Explicit mappings first, so they also take their property away from the defaults.
      for (const [attribute, source] of explicit) {
        const key = Object.hasOwn(properties, source) ? source : byKey.get(normalizeKey(source));
        if (!take(attribute, key)) found.set(attribute, { sourceKey: null, value: undefined });
      }
      for (const attribute of spec.attributes) {
        if (found.has(attribute.name)) continue;
        const key = candidates
          .get(attribute.name)!
          .map((candidate) => byKey.get(candidate))
          .find((candidate) => candidate !== undefined && !claimed.has(candidate));
        if (!take(attribute.name, key)) found.set(attribute.name, { sourceKey: null, value: undefined });
      }
      return found;
    },
  };
}

export type Coerced =
  | { kind: 'value'; value: string | number | Geometry }
  | { kind: 'absent' }
  /** Text where coordinates were expected: not an error for admin_center, kept as an extra property. */
  | { kind: 'text-not-coordinates' }
  | { kind: 'problem'; problem: string };

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
};

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (typeof value === 'number' && Number.isNaN(value));
}

/** A DBF date (parsed by parsedbf as a local-time Date) as YYYY-MM-DD. */
function formatLocalDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  let text = value.trim().replace(/\s+/g, '');
  // Vietnamese writes a decimal comma: "12,5".
  if (/^[-+]?\d+,\d+$/.test(text)) text = text.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

function rangeText(spec: AttributeSpec): string {
  const low = spec.min === undefined ? '' : `${formatNumber(spec.min)} ${spec.exclusiveMin ? '<' : '≤'} `;
  const high = spec.max === undefined ? '' : ` ${spec.exclusiveMax ? '<' : '≤'} ${formatNumber(spec.max)}`;
  return `${low}x${high}`;
}

function parsePositionText(text: string): number[] | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return Array.isArray(parsed) ? (parsed as number[]) : null;
    } catch {
      return null;
    }
  }
  const match = /^([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)$/.exec(trimmed);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** Coerces one source value to an attribute's type. `name` is the canonical name, for messages. */
export function coerceAttribute(spec: AttributeSpec, raw: unknown): Coerced {
  if (isBlank(raw)) return { kind: 'absent' };
  const name = spec.name;
  switch (spec.type) {
    case 'text': {
      if (typeof raw === 'string') return { kind: 'value', value: raw.normalize('NFC').trim() };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { kind: 'value', value: String(raw) };
      if (raw instanceof Date) return { kind: 'value', value: formatLocalDate(raw) };
      return { kind: 'problem', problem: `${name} is ${show(raw)}; expected text` };
    }
    case 'number':
    case 'integer': {
      const value = parseNumber(raw);
      if (value === null) return { kind: 'problem', problem: `${name} ${show(raw)} is not a number` };
      if (spec.type === 'integer' && !Number.isInteger(value)) return { kind: 'problem', problem: `${name} ${show(raw)} is not a whole number` };
      const belowMin = spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min);
      const aboveMax = spec.max !== undefined && (spec.exclusiveMax ? value >= spec.max : value > spec.max);
      if (belowMin || aboveMax) return { kind: 'problem', problem: `${name} ${formatNumber(value)} is out of range: must be ${rangeText(spec)}` };
      return { kind: 'value', value };
    }
    case 'date': {
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) return { kind: 'value', value: formatLocalDate(raw) };
      const text = String(raw).trim();
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (iso && isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) return { kind: 'value', value: text };
      if (iso) return { kind: 'problem', problem: `${name} "${text}" is not a real calendar date` };
      const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
      const hint =
        dayFirst && isCalendarDate(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]))
          ? ` (did you mean ${dayFirst[3]}-${dayFirst[2]!.padStart(2, '0')}-${dayFirst[1]!.padStart(2, '0')}?)`
          : ' (e.g. 2024-03-15)';
      return { kind: 'problem', problem: `${name} ${show(raw)} is not a date in YYYY-MM-DD form${hint}` };
    }
    case 'enum': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return { kind: 'problem', problem: `${name} is ${show(raw)}; expected one of ${spec.valuesHelp ?? spec.allowedValues?.join(', ')}` };
      const key = normalizeKey(String(raw));
      const direct = spec.allowedValues?.find((allowed) => normalizeKey(allowed) === key);
      const aliased = Object.entries(spec.valueAliases ?? {}).find(([alias]) => normalizeKey(alias) === key)?.[1];
      const value = direct ?? aliased;
      if (value === undefined) return { kind: 'problem', problem: `${name} ${show(raw)} is not one of ${spec.valuesHelp ?? spec.allowedValues?.join(', ')}` };
      return { kind: 'value', value };
    }
    case 'url': {
      if (typeof raw !== 'string') return { kind: 'problem', problem: `${name} is ${show(raw)}; expected a URL` };
      const text = raw.trim();
      const schemes = spec.urlSchemes ?? ['http:', 'https:'];
      if (schemes.includes('/') && text.startsWith('/') && !text.startsWith('//')) return { kind: 'value', value: text };
      let url: URL | null = null;
      try {
        url = new URL(text);
      } catch {
        url = null;
      }
      const allowed = schemes.filter((scheme) => scheme !== '/').map((scheme) => scheme.replace(':', ''));
      const allowedText = `${allowed.slice(0, -1).join(', ')}${allowed.length > 1 ? ' or ' : ''}${allowed.at(-1)}${schemes.includes('/') ? ' URL or a path starting with /' : ' URL'}`;
      if (!url || !schemes.includes(url.protocol) || !url.host) return { kind: 'problem', problem: `${name} ${show(raw)} is not an absolute ${allowedText}` };
      return { kind: 'value', value: text };
    }
    case 'position': {
      let position: unknown = raw;
      if (typeof raw === 'string') {
        const parsed = parsePositionText(raw);
        if (!parsed) return { kind: 'text-not-coordinates' };
        position = parsed;
      } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as { type?: unknown }).type === 'Point') {
        position = (raw as Point).coordinates;
      }
      if (!Array.isArray(position) || position.length < 2 || position.length > 3 || position.some((item) => typeof item !== 'number' || !Number.isFinite(item))) {
        return { kind: 'problem', problem: `${name} ${show(raw)} is not a position [lon, lat] (or a GeoJSON Point)` };
      }
      return { kind: 'value', value: { type: 'Point', coordinates: position as number[] } };
    }
    case 'polygon': {
      let geometry: unknown = raw;
      if (typeof raw === 'string') {
        try {
          geometry = JSON.parse(raw);
        } catch {
          return { kind: 'problem', problem: `${name} is text that is not GeoJSON: ${show(raw)}` };
        }
      }
      const type = typeof geometry === 'object' && geometry !== null ? (geometry as { type?: unknown }).type : undefined;
      if (type !== 'Polygon' && type !== 'MultiPolygon') {
        return { kind: 'problem', problem: `${name} must be a GeoJSON Polygon or MultiPolygon object, not ${type === undefined ? show(geometry) : `a ${String(type)}`}` };
      }
      return { kind: 'value', value: geometry as Geometry };
    }
  }
}
