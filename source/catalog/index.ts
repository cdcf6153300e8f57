export {english, currentLanguage, currentLocale, setLanguage, words} from './active.js';
export {type Language, chooseLanguage, isLanguage, languages} from './language.js';
export type {Messages} from './messages.js';
export {formatDecimal} from './numbers.js';
export {sayNote} from './notes-reader.js';
