import { DEFAULT_SEARCH, parseSearch, searchDraftFromUrl, searchDraftToUrl } from './message-search';

describe('message search form', () => {
  it('round-trips through the URL, keeping only what differs from the defaults', () => {
    const draft = {
      ...DEFAULT_SEARCH,
      text: 'France',
      partition: '1',
      start: 'offset' as const,
      offset: '5',
    };
    const url = new URLSearchParams(searchDraftToUrl(draft));
    expect(Object.fromEntries(url)).toEqual({ text: 'France', partition: '1', start: 'offset', offset: '5' });
    expect(searchDraftFromUrl(url)).toEqual(draft);
    expect(searchDraftFromUrl(new URLSearchParams('start=sideways&keyMatch=x'))).toEqual(DEFAULT_SEARCH);
  });

  it('builds the query string the search route takes', () => {
    const parsed = parseSearch({
      ...DEFAULT_SEARCH,
      key: 'k',
      keyMatch: 'equals',
      start: 'end',
      budget: '500',
    });
    expect(parsed.ok && Object.fromEntries(parsed.value)).toEqual({
      budget: '500',
      maxMatches: '100',
      key: 'k',
      keyMatch: 'equals',
      direction: 'newest',
    });
  });

  it('names each field it refuses before sending', () => {
    expect(parseSearch({ ...DEFAULT_SEARCH, start: 'offset', offset: '3' })).toEqual({
      ok: false,
      errors: { partition: 'An offset needs a partition' },
    });
    const bad = parseSearch({ ...DEFAULT_SEARCH, fieldValue: 'x', budget: '0' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.budget).toBe('Must be at least 1');
    const half = parseSearch({ ...DEFAULT_SEARCH, fieldValue: 'x' });
    expect(!half.ok && half.errors).toEqual({ field: 'give both field and fieldValue' });
  });
});
