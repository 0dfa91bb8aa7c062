/** A randomuser.me user with every personal field filled, for the masking specs. */
export const rawUser = {
  gender: 'female',
  name: { title: 'Ms', first: 'Ada', last: 'Lovelace' },
  location: {
    street: { number: 12, name: 'Main St' },
    city: 'London',
    coordinates: { latitude: '51.5', longitude: '-0.12' },
    timezone: { offset: '+0:00', description: 'London' },
  },
  email: 'ada@example.com',
  login: { uuid: '0f8e3b1c-1111-4222-8333-444455556666', username: 'ada', password: 'secret' },
  dob: { date: '1815-12-10T00:00:00Z', age: 36 },
  phone: '+44 1',
  cell: '+44 2',
  id: { name: 'NINO', value: 'AB123456C' },
  picture: { large: 'https://x/l.jpg', medium: 'https://x/m.jpg', thumbnail: 'https://x/t.jpg' },
  nat: 'GB',
};
