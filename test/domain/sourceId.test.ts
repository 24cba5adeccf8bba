import { describe, expect, it } from 'vitest';
import { checkedSourceId, isSourceId } from '../../src/domain/sourceId.ts';

describe('source ids', () => {
  it('accepts plain lower-case names up to 64 characters', () => {
    for (const id of ['cms', 'cms-oslo-1', 'pexip.oslo_2', '0', 'a'.repeat(64), '1-2.3_4']) expect([id, isSourceId(id)]).toEqual([id, true]);
  });

  it('refuses paths, markup, invisible, direction-changing and control characters, upper case, empty and long names', () => {
    for (const id of ['', '../../etc/passwd', 'a/b', '<script>', 'cms\u202e', 'cms\u200b', 'cms\0', 'cms\n', 'CMS-1', 'Cms', '-cms', '.cms', '_cms', 'cms oslo', 'cms:1', 'cmsé', 'a'.repeat(65)]) {
      expect([id, isSourceId(id)]).toEqual([id, false]);
    }
  });

  it('says where the bad id was and what a source id is, with the id shown safely', () => {
    expect(() => checkedSourceId('cms\u202eexe', '--source')).toThrow('--source "cms\\u202eexe" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).');
    expect(() => checkedSourceId('x'.repeat(100), 'The source')).toThrow(`The source "${'x'.repeat(64)}…" is not a source id`);
    expect(checkedSourceId('cms-oslo-1', '--source')).toBe('cms-oslo-1');
  });
});
