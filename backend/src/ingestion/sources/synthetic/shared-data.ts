/** The synthetic source's data common to every nationality: usernames, passwords, time zones and portraits. */
import { createHash } from 'node:crypto';
import { Sfc32 } from './sfc32.js';

/** Seeds what is drawn once per process: faker's locale pools and the password table, so they never vary. */
export const POOL_SEED = 20_260_101;

const ADJECTIVES = [
  'big',
  'small',
  'tiny',
  'lazy',
  'happy',
  'sad',
  'angry',
  'brave',
  'crazy',
  'silver',
  'golden',
  'purple',
  'orange',
  'green',
  'blue',
  'red',
  'yellow',
  'brown',
  'heavy',
  'organic',
  'ticklish',
  'beautiful',
  'silent',
  'quick',
];
const ANIMALS = [
  'duck',
  'panda',
  'goose',
  'butterfly',
  'cat',
  'rabbit',
  'swan',
  'bear',
  'frog',
  'leopard',
  'mouse',
  'koala',
  'ostrich',
  'fish',
  'zebra',
  'peacock',
  'wolf',
  'tiger',
  'meercat',
  'bird',
  'lion',
  'elephant',
  'gorilla',
  'owl',
];
export const USERNAME_STEMS = ADJECTIVES.flatMap((adjective) => ANIMALS.map((animal) => adjective + animal));
const PASSWORD_WORDS = [
  'chevy',
  'tigger',
  'maverick',
  'snickers',
  'boomer',
  'hockey',
  'soleil',
  'galway',
  'kennwort',
  'fjord',
  'paella',
  'kiwi',
  'tulip',
  'fromage',
  'arsenal',
  'sauna',
  'bailey',
  'rakija',
  'kebab',
  'mumbai',
  'tequila',
  'golestan',
  'borshch',
  'hygge',
  'summer',
  'winter',
  'dragon',
  'shadow',
  'monkey',
  'sunshine',
  'pepper',
  'cookie',
];

export interface PasswordEntry {
  password: string;
  salt: string;
  md5: string;
  sha1: string;
  sha256: string;
}

/** Real digests of password + salt as the API computes them, precomputed: three hashes per user would be slow. */
export const PASSWORDS: PasswordEntry[] = (() => {
  const rng = new Sfc32();
  rng.reset(POOL_SEED, 0, 0, 0, 0);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from({ length: 1024 }, () => {
    const word = rng.pick(PASSWORD_WORDS);
    const password = rng.int(3) === 0 ? `${word}${rng.int(100)}` : word;
    let salt = '';
    for (let i = 0; i < 8; i++) {
      salt += alphabet[rng.int(alphabet.length)];
    }
    const digest = (algorithm: string) =>
      createHash(algorithm)
        .update(password + salt)
        .digest('hex');
    return { password, salt, md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256') };
  });
})();

/** Shared and frozen, like the portraits below: one object per value instead of one per user. */
export const TIMEZONES: ReadonlyArray<{ offset: string; description: string }> = [
  { offset: '-12:00', description: 'Eniwetok, Kwajalein' },
  { offset: '-11:00', description: 'Midway Island, Samoa' },
  { offset: '-10:00', description: 'Hawaii' },
  { offset: '-9:00', description: 'Alaska' },
  { offset: '-8:00', description: 'Pacific Time (US & Canada)' },
  { offset: '-7:00', description: 'Mountain Time (US & Canada)' },
  { offset: '-6:00', description: 'Central Time (US & Canada), Mexico City' },
  { offset: '-5:00', description: 'Eastern Time (US & Canada), Bogota, Lima' },
  { offset: '-4:00', description: 'Atlantic Time (Canada), Caracas, La Paz' },
  { offset: '-3:30', description: 'Newfoundland' },
  { offset: '-3:00', description: 'Brazil, Buenos Aires, Georgetown' },
  { offset: '-1:00', description: 'Azores, Cape Verde Islands' },
  { offset: '0:00', description: 'Western Europe Time, London, Lisbon, Casablanca' },
  { offset: '+1:00', description: 'Brussels, Copenhagen, Madrid, Paris' },
  { offset: '+2:00', description: 'Kaliningrad, South Africa' },
  { offset: '+3:00', description: 'Baghdad, Riyadh, Moscow, St. Petersburg' },
  { offset: '+3:30', description: 'Tehran' },
  { offset: '+4:00', description: 'Abu Dhabi, Muscat, Baku, Tbilisi' },
  { offset: '+5:00', description: 'Ekaterinburg, Islamabad, Karachi, Tashkent' },
  { offset: '+5:30', description: 'Bombay, Calcutta, Madras, New Delhi' },
  { offset: '+6:00', description: 'Almaty, Dhaka, Colombo' },
  { offset: '+7:00', description: 'Bangkok, Hanoi, Jakarta' },
  { offset: '+8:00', description: 'Beijing, Perth, Singapore, Hong Kong' },
  { offset: '+9:00', description: 'Tokyo, Seoul, Osaka, Sapporo, Yakutsk' },
  { offset: '+9:30', description: 'Adelaide, Darwin' },
  { offset: '+10:00', description: 'Eastern Australia, Guam, Vladivostok' },
  { offset: '+11:00', description: 'Magadan, Solomon Islands, New Caledonia' },
  { offset: '+12:00', description: 'Auckland, Wellington, Fiji, Kamchatka' },
].map((timezone) => Object.freeze(timezone));

/** Portrait URLs, 100 per gender as the API serves them; shared and frozen. */
const pictures = (folder: 'men' | 'women') =>
  Array.from({ length: 100 }, (_, n) =>
    Object.freeze({
      large: `https://randomuser.me/api/portraits/${folder}/${n}.jpg`,
      medium: `https://randomuser.me/api/portraits/med/${folder}/${n}.jpg`,
      thumbnail: `https://randomuser.me/api/portraits/thumb/${folder}/${n}.jpg`,
    }),
  );
export const PICTURES_MALE = pictures('men');
export const PICTURES_FEMALE = pictures('women');
