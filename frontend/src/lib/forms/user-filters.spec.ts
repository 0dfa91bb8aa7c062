import { UserSearchQuery } from '@userstream/contracts';
import { EMPTY_FILTERS, parseUserFilters, searchRequest } from './user-filters';

describe('searchRequest', () => {
  it('asks for personal data only when an admin turned it on, and stays a valid search', () => {
    const parsed = parseUserFilters({ ...EMPTY_FILTERS, lastName: 'Lovelace' });
    if (!parsed.ok) {
      throw new Error('the filters should be valid');
    }
    expect(searchRequest(parsed.request, false).toString()).toBe('lastName=Lovelace');
    const unmasked = searchRequest(parsed.request, true);
    expect(unmasked.toString()).toBe('lastName=Lovelace&unmasked=true');
    expect(UserSearchQuery.parse(Object.fromEntries(unmasked))).toMatchObject({ unmasked: true });
    // the URL the user shares never carries it
    expect(parsed.url.has('unmasked')).toBe(false);
  });
});
