import { decodeSeedUser } from './seed-user.transform.js';
import { pythonJsonDumps, tutorialRecords } from './tutorial-records.js';

describe('tutorial records', () => {
  it("writes Python's json.dumps: spaced separators, non-ASCII escaped", () => {
    expect(
      pythonJsonDumps({ id: 'x', first_name: 'Jørgen', post_code: 9291, dob: undefined }).toString(),
    ).toBe('{"id": "x", "first_name": "J\\u00f8rgen", "post_code": 9291}');
  });

  it('decodes back into the row the tutorial stores', async () => {
    const [record] = await tutorialRecords('tutorial-records-spec', 0, 1);
    const decoded = decodeSeedUser(pythonJsonDumps({ ...record! }));
    expect(decoded).toEqual({
      ok: true,
      row: expect.objectContaining({
        id: record!.id,
        first_name: record!.first_name,
        address: record!.address,
        post_code: String(record!.post_code),
      }),
    });
  });

  it('formats the address as format_data does', async () => {
    const [record] = await tutorialRecords('tutorial-records-spec', 0, 1);
    expect(record!.address).toMatch(/^\d+ .+, .+, .+, .+$/);
  });
});
