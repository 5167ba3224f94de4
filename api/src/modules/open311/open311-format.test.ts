import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { errorDocument, serialize, toXml } from './open311-format.ts';

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name) });

describe('Open311 serialisation', () => {
  it('writes the XML declaration, one element per list item, and empty elements for nulls', () => {
    const xml = toXml({
      root: 'service_requests',
      body: [
        { service_request_id: 'DB-7K3M9Q', account_id: null, lat: 21.386, open: true },
        { service_request_id: 'DB-AAAAAA', account_id: '42', lat: 0, open: false },
      ],
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<account_id/>');
    const parsed = parser.parse(xml);
    expect(parsed.service_requests.request).toEqual([
      { service_request_id: 'DB-7K3M9Q', account_id: '', lat: '21.386', open: 'true' },
      { service_request_id: 'DB-AAAAAA', account_id: '42', lat: '0', open: 'false' },
    ]);
  });

  it('escapes markup and keeps Vietnamese text intact, in XML and JSON', () => {
    const nasty = 'Đèn đường <b>hỏng</b> & "tắt" — ngõ 5\'s ]]> <![CDATA[x]]> <!-- c -->\nDòng hai';
    const document = { root: 'services', body: [{ service_code: 'x', service_name: nasty }] };
    const xml = serialize(document, 'xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<b>');
    expect(parser.parse(xml).services.service[0].service_name).toBe(nasty);
    expect(JSON.parse(serialize(document, 'json'))).toEqual([{ service_code: 'x', service_name: nasty }]);
  });

  it('drops characters XML cannot carry instead of writing a broken document', () => {
    const xml = toXml({ root: 'services', body: [{ service_name: 'a\u0001b\u0008c\uFFFEd' }] });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).services.service[0].service_name).toBe('abcd');
  });

  it('writes nested lists (service definition) and an empty list as an empty root', () => {
    const xml = toXml({
      root: 'service_definition',
      body: { service_code: 'trees', attributes: [{ code: 'a', values: [{ key: 'true', name: 'Đồng ý' }, { key: 'false', name: 'Không' }] }] },
    });
    const parsed = parser.parse(xml);
    expect(parsed.service_definition.attributes.attribute[0].values.value.map((value: { name: string }) => value.name)).toEqual(['Đồng ý', 'Không']);
    expect(toXml({ root: 'service_requests', body: [] })).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<service_requests/>\n');
  });

  it('refuses a list it has no item element for (a new field must be named, not lost)', () => {
    expect(() => toXml({ root: 'service_requests', body: [{ photos: ['a'] }] })).toThrow(/photos/);
  });

  it('writes the spec error list', () => {
    const document = errorDocument([{ code: 403, description: 'api_key is not valid' }]);
    expect(JSON.parse(serialize(document, 'json'))).toEqual([{ code: 403, description: 'api_key is not valid' }]);
    expect(parser.parse(serialize(document, 'xml')).errors.error).toEqual([{ code: '403', description: 'api_key is not valid' }]);
  });
});
