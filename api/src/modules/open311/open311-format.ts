import type { Request, Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';
import { AppError } from '../../errors/app-error.ts';

/**
 * The two representations GeoReport v2 defines. XML is the required one and what a client gets when
 * it names no format; JSON is the spec's "Spark convention" mapping of the same XML (the root element
 * dropped, repeated elements as arrays).
 */
export type Open311Format = 'xml' | 'json';

export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * The element name of one item of each repeated element, for XML (`<services><service>…`). Every
 * array in a document must be listed here, so a new array cannot silently lose its items.
 */
const itemElementByList: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

export type Open311Value = string | number | boolean | null | Open311Value[] | { [key: string]: Open311Value };

/** A response body: the XML root element and the value under it (the JSON body). */
export interface Open311Document {
  root: string;
  body: Open311Value;
}

/**
 * The format of a request: the resource's extension when it has one (`services.json`), else the
 * `Accept` header, else XML. An unknown extension is an error; with `lenient` (error responses, which
 * must always be sayable) it falls back to XML.
 */
export function formatOf(request: Request, lenient = false): Open311Format {
  const lastSegment = request.path.split('/').pop() ?? '';
  const extension = /\.([A-Za-z0-9]+)$/.exec(lastSegment)?.[1]?.toLowerCase();
  if (extension === 'xml' || extension === 'json') return extension;
  if (extension !== undefined && !lenient) {
    throw new AppError('VALIDATION_FAILED', `Unknown format ".${extension}": use .xml or .json (GET discovery.xml lists the formats).`, {
      vi: `Định dạng ".${extension}" không được hỗ trợ: dùng .xml hoặc .json.`,
    });
  }
  // No extension: XML unless the client prefers JSON (a missing or */* Accept header picks XML).
  return request.accepts(['text/xml', 'application/xml', 'application/json']) === 'application/json' ? 'json' : 'xml';
}

const xmlBuilder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: true,
  suppressEmptyNode: true,
  // Escapes & < > " ' in text: values never become markup.
  processEntities: true,
});

// Characters XML 1.0 cannot carry at all, not even escaped (C0 controls other than tab, LF, CR; lone
// surrogates; U+FFFE/U+FFFF). Stored text should never hold them; if it does, they are dropped rather
// than making the whole document unreadable.
const characterNotAllowedInXml = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function toXmlNode(name: string, value: Open311Value): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) {
    const item = itemElementByList[name];
    if (!item) throw new Error(`Open311 XML: no item element is defined for the list <${name}>`);
    return value.length === 0 ? '' : { [item]: value.map((entry) => toXmlNode(item, entry)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toXmlNode(key, entry)]));
  }
  if (typeof value === 'string') return value.replace(characterNotAllowedInXml, '');
  return String(value);
}

/** The document as UTF-8 XML text, with the declaration the spec asks for. */
export function toXml(document: Open311Document): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlBuilder.build({ [document.root]: toXmlNode(document.root, document.body) })}`;
}

export function serialize(document: Open311Document, format: Open311Format): string {
  return format === 'xml' ? toXml(document) : JSON.stringify(document.body);
}

export function sendOpen311(response: Response, format: Open311Format, document: Open311Document, status = 200): void {
  response.status(status).type(OPEN311_CONTENT_TYPES[format]).send(serialize(document, format));
}

/** The spec's error list: `[{ code, description }]`, `<errors><error>…` in XML. */
export function errorDocument(errors: ReadonlyArray<{ code: number; description: string }>): Open311Document {
  return { root: 'errors', body: errors.map((error) => ({ code: error.code, description: error.description })) };
}
