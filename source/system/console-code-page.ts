// Windows console programs (netstat, tasklist, chcp) print in the console's code page, not UTF-8:
// 437 or 850 on a Western Windows, 932 on a Japanese one, 936/949/950 on Chinese and Korean ones.
// Read as UTF-8, process names and localised headers come out garbled.
import iconv from 'iconv-lite';

/**
 * The code page `chcp` reports: "Active code page: 850", "Codepage attiva: 850",
 * "現在のコード ページ: 932". Only the number is ASCII in every language, so it is all we read.
 */
export const parseChcp = (output: string): number | undefined => {
	const match = /(\d{3,5})\s*\.?\s*$/.exec(output.trim());
	return match ? Number(match[1]) : undefined;
};

// iconv-lite knows Windows' code pages by these names (UTF-8 is 65001).
const encodingOf = (codePage: number): string => (codePage === 65_001 ? 'utf8' : `cp${codePage}`);

/** Whether bytes in this code page can be decoded here. */
export const knowsCodePage = (codePage: number): boolean => iconv.encodingExists(encodingOf(codePage));

/**
 * Bytes a console program printed, as text. An unknown code page (or none) reads as UTF-8, which
 * keeps ASCII (the ports and PIDs) right whatever the bytes. Never throws.
 */
export const decodeConsoleOutput = (bytes: Uint8Array, codePage: number | undefined): string => {
	const encoding = codePage !== undefined && knowsCodePage(codePage) ? encodingOf(codePage) : 'utf8';
	return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
};
