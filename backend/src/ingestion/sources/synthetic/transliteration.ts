/** Letters to ASCII for e-mail addresses, and Cyrillic to Latin for Ukrainian place names. */

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'h',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'y',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ь: '',
  ю: 'yu',
  я: 'ya',
  ы: 'y',
  э: 'e',
  ъ: '',
  ё: 'yo',
  "'": '',
  '’': '',
};
/** Persian has no short vowels in writing, so transliterated names look like the API's (`nznyn.rdyy`). */
const PERSIAN: Record<string, string> = {
  ا: 'a',
  آ: 'a',
  ب: 'b',
  پ: 'p',
  ت: 't',
  ث: 's',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'z',
  ر: 'r',
  ز: 'z',
  ژ: 'zh',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'z',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'gh',
  ک: 'k',
  ك: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  و: 'v',
  ه: 'h',
  ة: 'h',
  ی: 'y',
  ي: 'y',
  ئ: 'y',
  ء: '',
  '\u200c': '',
};
/** Latin letters that Unicode does not decompose into a base letter plus accents. */
const LATIN: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  đ: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
  ð: 'd',
};

/** Cyrillic to Latin, keeping capitals (for Ukrainian place names). */
export function transliterate(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const latin = CYRILLIC[lower];
    if (latin === undefined) {
      out += ch;
    } else {
      out += ch === lower ? latin : capitalise(latin);
    }
  }
  return out;
}

export function toAscii(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) {
    out += CYRILLIC[ch] ?? PERSIAN[ch] ?? LATIN[ch] ?? ch;
  }
  return out
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]/g, '');
}
