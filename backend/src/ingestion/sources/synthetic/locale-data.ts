/** What the synthetic source knows of each nationality: its faker locale, number formats and national id. */
import type { Faker } from '@faker-js/faker';
import { faker as fakerDa } from '@faker-js/faker/locale/da';
import { faker as fakerDe } from '@faker-js/faker/locale/de';
import { faker as fakerDeCh } from '@faker-js/faker/locale/de_CH';
import { faker as fakerEnAu } from '@faker-js/faker/locale/en_AU';
import { faker as fakerEnCa } from '@faker-js/faker/locale/en_CA';
import { faker as fakerEnGb } from '@faker-js/faker/locale/en_GB';
import { faker as fakerEnIe } from '@faker-js/faker/locale/en_IE';
import { faker as fakerEnIn } from '@faker-js/faker/locale/en_IN';
import { faker as fakerEnUs } from '@faker-js/faker/locale/en_US';
import { faker as fakerEs } from '@faker-js/faker/locale/es';
import { faker as fakerEsMx } from '@faker-js/faker/locale/es_MX';
import { faker as fakerFa } from '@faker-js/faker/locale/fa';
import { faker as fakerFi } from '@faker-js/faker/locale/fi';
import { faker as fakerFr } from '@faker-js/faker/locale/fr';
import { faker as fakerNbNo } from '@faker-js/faker/locale/nb_NO';
import { faker as fakerNl } from '@faker-js/faker/locale/nl';
import { faker as fakerPtBr } from '@faker-js/faker/locale/pt_BR';
import { faker as fakerSrRs } from '@faker-js/faker/locale/sr_RS_latin';
import { faker as fakerTr } from '@faker-js/faker/locale/tr';
import { faker as fakerUk } from '@faker-js/faker/locale/uk';
import type { Nationality } from '@userstream/contracts';
import { compile, type Sfc32 } from './sfc32.js';

export interface LocaleSpec {
  faker: Faker;
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
    faker: fakerEnAu,
    postcode: between(200, 9999),
    phone: '0#-####-####',
    cell: '04##-###-###',
    idName: 'TFN',
    idPattern: '#########',
  },
  BR: {
    faker: fakerPtBr,
    postcode: between(10000, 99999),
    phone: '(##) ####-####',
    cell: '(##) #####-####',
    idName: 'CPF',
    idPattern: '###.###.###-##',
  },
  CA: {
    faker: fakerEnCa,
    postcode: pattern('A#A #A#'),
    phone: '###-###-####',
    cell: '###-###-####',
    idName: 'SIN',
    idPattern: '#########',
  },
  CH: {
    faker: fakerDeCh,
    titlesMale: FRENCH_MALE,
    titlesFemale: FRENCH_FEMALE,
    postcode: between(1000, 9999),
    phone: '0## ### ## ##',
    cell: '07# ### ## ##',
    idName: 'AVS',
    idPattern: '756.####.####.##',
  },
  DE: {
    faker: fakerDe,
    postcode: between(10000, 99999),
    phone: '0###-#######',
    cell: '01##-#######',
    idName: 'SVNR',
    idPattern: '## ###### A ###',
  },
  DK: {
    faker: fakerDa,
    postcode: between(1000, 9999),
    phone: '########',
    cell: '########',
    idName: 'CPR',
    idPattern: '######-####',
  },
  ES: {
    faker: fakerEs,
    postcode: between(10000, 99999),
    phone: '9##-###-###',
    cell: '6##-###-###',
    idName: 'DNI',
    idPattern: '########-A',
  },
  FI: {
    faker: fakerFi,
    postcode: between(10000, 99999),
    phone: '0#-###-###',
    cell: '04#-###-##-##',
    idName: 'HETU',
    idPattern: '######-###A',
  },
  FR: {
    faker: fakerFr,
    titlesMale: FRENCH_MALE,
    titlesFemale: FRENCH_FEMALE,
    postcode: between(10000, 99999),
    phone: '0#-##-##-##-##',
    cell: '06-##-##-##-##',
    idName: 'INSEE',
    idPattern: '############# ##',
  },
  GB: {
    faker: fakerEnGb,
    state: (f) => f.location.county(),
    postcode: pattern('A# #AA', 'A## #AA', 'AA# #AA', 'AA## #AA'),
    phone: '0#### ######',
    cell: '07### ######',
    idName: 'NINO',
    idPattern: 'AA ## ## ## A',
  },
  IE: {
    faker: fakerEnIe,
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
    faker: fakerEnIn,
    postcode: between(100000, 999999),
    phone: '9#########',
    cell: '7#########',
    idName: 'UIDAI',
    idPattern: '############',
  },
  IR: {
    faker: fakerFa,
    postcode: between(10000, 99999),
    phone: '0##-########',
    cell: '09##-###-####',
    idName: '',
    idPattern: null,
  },
  MX: {
    faker: fakerEsMx,
    postcode: between(10000, 99999),
    phone: '(6##) ### ####',
    cell: '(6##) ### ####',
    idName: 'NSS',
    idPattern: '## ## ## #### #',
  },
  NL: {
    faker: fakerNl,
    postcode: between(1000, 9999),
    phone: '(0##) #######',
    cell: '(06) ########',
    idName: 'BSN',
    idPattern: '########',
  },
  NO: {
    faker: fakerNbNo,
    postcode: (rng) => String(1 + rng.int(9990)).padStart(4, '0'),
    phone: '########',
    cell: '4#######',
    idName: 'FN',
    idPattern: '###########',
  },
  NZ: {
    faker: fakerEnAu,
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
    faker: fakerSrRs,
    postcode: between(10000, 99999),
    phone: '0##-####-###',
    cell: '06#-####-###',
    idName: 'SID',
    idPattern: '#########',
  },
  TR: {
    faker: fakerTr,
    postcode: between(10000, 99999),
    phone: '(###)-###-####',
    cell: '(###)-###-####',
    idName: '',
    idPattern: null,
  },
  UA: {
    faker: fakerUk,
    latinPlaces: true,
    postcode: between(10000, 99999),
    phone: '(0##) ###-####',
    cell: '(0##) ###-####',
    idName: '',
    idPattern: null,
  },
  US: {
    faker: fakerEnUs,
    postcode: between(10000, 99999),
    phone: '(###) ###-####',
    cell: '(###) ###-####',
    idName: 'SSN',
    idPattern: '###-##-####',
  },
};
