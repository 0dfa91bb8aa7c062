/** What the synthetic source knows of each nationality: its faker locale, number formats and national id. */
import type { Faker } from '@faker-js/faker';
import type { Nationality } from '@userstream/contracts';
import { compile, type Sfc32 } from './sfc32.js';

export interface LocaleSpec {
  /**
   * Imported when a source first needs the nationality: all of faker's locales take ~20 MB and ~140 ms to load,
   * which processes that never generate users (processors, a backend fed by the real API) should not pay.
   */
  faker: () => Promise<{ faker: Faker }>;
  /** Cities and states where faker has none fitting (or none at all). */
  cities?: string[];
  states?: string[];
  state?: (faker: Faker) => string;
  /** 1.4 sends Ukrainian places in Latin letters while names stay Cyrillic. */
  latinPlaces?: boolean;
  titlesMale?: readonly string[];
  titlesFemale?: readonly string[];
  postcode: (rng: Sfc32) => number | string;
  phone: string;
  cell: string;
  idName: string;
  idPattern: string | null;
}

const between = (min: number, max: number) => (rng: Sfc32) => min + rng.int(max - min + 1);
const pattern = (...formats: string[]) => {
  const patterns = formats.map(compile);
  return (rng: Sfc32) => rng.fill(rng.pick(patterns));
};
const FRENCH_MALE = ['Monsieur', 'Mr'];
const FRENCH_FEMALE = ['Madame', 'Mademoiselle', 'Ms'];

export const LOCALES: Record<Nationality, LocaleSpec> = {
  AU: {
    faker: () => import('@faker-js/faker/locale/en_AU'),
    postcode: between(200, 9999),
    phone: '0#-####-####',
    cell: '04##-###-###',
    idName: 'TFN',
    idPattern: '#########',
  },
  BR: {
    faker: () => import('@faker-js/faker/locale/pt_BR'),
    postcode: between(10000, 99999),
    phone: '(##) ####-####',
    cell: '(##) #####-####',
    idName: 'CPF',
    idPattern: '###.###.###-##',
  },
  CA: {
    faker: () => import('@faker-js/faker/locale/en_CA'),
    postcode: pattern('A#A #A#'),
    phone: '###-###-####',
    cell: '###-###-####',
    idName: 'SIN',
    idPattern: '#########',
  },
  CH: {
    faker: () => import('@faker-js/faker/locale/de_CH'),
    titlesMale: FRENCH_MALE,
    titlesFemale: FRENCH_FEMALE,
    postcode: between(1000, 9999),
    phone: '0## ### ## ##',
    cell: '07# ### ## ##',
    idName: 'AVS',
    idPattern: '756.####.####.##',
  },
  DE: {
    faker: () => import('@faker-js/faker/locale/de'),
    postcode: between(10000, 99999),
    phone: '0###-#######',
    cell: '01##-#######',
    idName: 'SVNR',
    idPattern: '## ###### A ###',
  },
  DK: {
    faker: () => import('@faker-js/faker/locale/da'),
    postcode: between(1000, 9999),
    phone: '########',
    cell: '########',
    idName: 'CPR',
    idPattern: '######-####',
  },
  ES: {
    faker: () => import('@faker-js/faker/locale/es'),
    postcode: between(10000, 99999),
    phone: '9##-###-###',
    cell: '6##-###-###',
    idName: 'DNI',
    idPattern: '########-A',
  },
  FI: {
    faker: () => import('@faker-js/faker/locale/fi'),
    postcode: between(10000, 99999),
    phone: '0#-###-###',
    cell: '04#-###-##-##',
    idName: 'HETU',
    idPattern: '######-###A',
  },
  FR: {
    faker: () => import('@faker-js/faker/locale/fr'),
    titlesMale: FRENCH_MALE,
    titlesFemale: FRENCH_FEMALE,
    postcode: between(10000, 99999),
    phone: '0#-##-##-##-##',
    cell: '06-##-##-##-##',
    idName: 'INSEE',
    idPattern: '############# ##',
  },
  GB: {
    faker: () => import('@faker-js/faker/locale/en_GB'),
    state: (f) => f.location.county(),
    postcode: pattern('A# #AA', 'A## #AA', 'AA# #AA', 'AA## #AA'),
    phone: '0#### ######',
    cell: '07### ######',
    idName: 'NINO',
    idPattern: 'AA ## ## ## A',
  },
  IE: {
    faker: () => import('@faker-js/faker/locale/en_IE'),
    state: (f) => f.location.county(),
    cities: [
      'Dublin',
      'Cork',
      'Limerick',
      'Galway',
      'Waterford',
      'Drogheda',
      'Kilkenny',
      'Wexford',
      'Sligo',
      'Athlone',
      'Ennis',
      'Tralee',
      'Navan',
      'Carlow',
      'Naas',
      'Swords',
      'Dundalk',
      'Bray',
      'Clonmel',
      'Mullingar',
    ],
    postcode: between(10000, 99999),
    phone: '0#-###-####',
    cell: '08#-###-####',
    idName: 'PPS',
    idPattern: '#######A',
  },
  IN: {
    faker: () => import('@faker-js/faker/locale/en_IN'),
    postcode: between(100000, 999999),
    phone: '9#########',
    cell: '7#########',
    idName: 'UIDAI',
    idPattern: '############',
  },
  IR: {
    faker: () => import('@faker-js/faker/locale/fa'),
    postcode: between(10000, 99999),
    phone: '0##-########',
    cell: '09##-###-####',
    idName: '',
    idPattern: null,
  },
  MX: {
    faker: () => import('@faker-js/faker/locale/es_MX'),
    postcode: between(10000, 99999),
    phone: '(6##) ### ####',
    cell: '(6##) ### ####',
    idName: 'NSS',
    idPattern: '## ## ## #### #',
  },
  NL: {
    faker: () => import('@faker-js/faker/locale/nl'),
    postcode: between(1000, 9999),
    phone: '(0##) #######',
    cell: '(06) ########',
    idName: 'BSN',
    idPattern: '########',
  },
  NO: {
    faker: () => import('@faker-js/faker/locale/nb_NO'),
    postcode: (rng) => String(1 + rng.int(9990)).padStart(4, '0'),
    phone: '########',
    cell: '4#######',
    idName: 'FN',
    idPattern: '###########',
  },
  NZ: {
    faker: () => import('@faker-js/faker/locale/en_AU'),
    cities: [
      'Auckland',
      'Wellington',
      'Christchurch',
      'Hamilton',
      'Tauranga',
      'Dunedin',
      'Palmerston North',
      'Napier',
      'Nelson',
      'Rotorua',
      'New Plymouth',
      'Whangarei',
      'Invercargill',
      'Whanganui',
      'Gisborne',
      'Timaru',
      'Masterton',
      'Blenheim',
      'Porirua',
      'Hastings',
    ],
    states: [
      'Auckland',
      'Wellington',
      'Canterbury',
      'Waikato',
      'Bay of Plenty',
      'Otago',
      'Manawatu-Wanganui',
      "Hawke's Bay",
      'Nelson',
      'Taranaki',
      'Northland',
      'Southland',
      'Gisborne',
      'Marlborough',
      'West Coast',
      'Tasman',
    ],
    postcode: between(1000, 9999),
    phone: '(###)-###-####',
    cell: '(###)-###-####',
    idName: '',
    idPattern: null,
  },
  RS: {
    faker: () => import('@faker-js/faker/locale/sr_RS_latin'),
    postcode: between(10000, 99999),
    phone: '0##-####-###',
    cell: '06#-####-###',
    idName: 'SID',
    idPattern: '#########',
  },
  TR: {
    faker: () => import('@faker-js/faker/locale/tr'),
    postcode: between(10000, 99999),
    phone: '(###)-###-####',
    cell: '(###)-###-####',
    idName: '',
    idPattern: null,
  },
  UA: {
    faker: () => import('@faker-js/faker/locale/uk'),
    latinPlaces: true,
    postcode: between(10000, 99999),
    phone: '(0##) ###-####',
    cell: '(0##) ###-####',
    idName: '',
    idPattern: null,
  },
  US: {
    faker: () => import('@faker-js/faker/locale/en_US'),
    postcode: between(10000, 99999),
    phone: '(###) ###-####',
    cell: '(###) ###-####',
    idName: 'SSN',
    idPattern: '###-##-####',
  },
};
