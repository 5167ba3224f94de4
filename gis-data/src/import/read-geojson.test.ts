import { describe, expect, it } from 'vitest';
import { locateJsonSyntaxError } from './read-geojson.ts';

describe('locateJsonSyntaxError', () => {
  it.each([
    ['{"a": [1, 2 3]}', "1:13 expected ',' or ']' after an array element, found '3'"],
    ['{"a": 1 "b": 2}', "1:9 expected ',' or '}' after a property value, found '\"'"],
    ["{'a': 1}", "1:2 expected a property name in double quotes, found '''"],
    ['{"a": 1,}', "1:9 expected a property name in double quotes, found '}'"],
    ['{"a" 1}', "1:6 expected ':' after a property name, found '1'"],
    ['{"a": NaN}', "1:7 unexpected 'N' where a value should start"],
    ['{"a": 1}}', "1:9 unexpected '}' after the end of the JSON document"],
    ['{"a":\n  "x\ny"}', '2:5 a line break inside a string (strings must be on one line; escape it as \\n)'],
    ['{"a": 1} // note', '1:10 a comment (JSON has no comments)'],
  ])('%j → %s', (text, expected) => {
    const located = locateJsonSyntaxError(text);
    expect(located && `${located.line}:${located.column} ${located.description}`).toBe(expected);
    expect(located?.truncated).toBe(false);
  });

  it('says a text that stops early is cut off, where it stops', () => {
    expect(locateJsonSyntaxError('{"a": [1, 2')).toEqual({ offset: 11, line: 1, column: 12, description: 'unexpected end of file', truncated: true });
    expect(locateJsonSyntaxError('{"a": "unfinished')).toMatchObject({ column: 18, description: 'unexpected end of file', truncated: true });
  });
});
