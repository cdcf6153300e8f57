// The screenshots' colours: a dark theme (One Dark-like) for the 16 ANSI colours, the xterm
// 256-colour cube and grey ramp, and the default foreground and background.

export type Rgb = readonly [number, number, number];

export const ANSI16: readonly Rgb[] = [
	[0x3f, 0x44, 0x4e],
	[0xe0, 0x6c, 0x75],
	[0x98, 0xc3, 0x79],
	[0xe5, 0xc0, 0x7b],
	[0x61, 0xaf, 0xef],
	[0xc6, 0x78, 0xdd],
	[0x56, 0xb6, 0xc2],
	[0xab, 0xb2, 0xbf],
	[0x6b, 0x72, 0x80],
	[0xff, 0x86, 0x8f],
	[0xb5, 0xe8, 0x90],
	[0xff, 0xd6, 0x8a],
	[0x82, 0xc4, 0xff],
	[0xde, 0x9b, 0xf0],
	[0x7f, 0xd3, 0xde],
	[0xff, 0xff, 0xff],
];
export const DEFAULT_FG: Rgb = [0xd7, 0xda, 0xe0];
export const DEFAULT_BG: Rgb = [0x1e, 0x22, 0x28];
/** The window's title bar. */
export const CHROME_BG: Rgb = [0x2a, 0x2f, 0x37];

/** Colour n of the xterm 256-colour palette (0-15 from the theme above). */
export function xterm256(n: number): Rgb {
	if (n < 16) return ANSI16[n] ?? DEFAULT_FG;
	if (n < 232) {
		const steps = [0, 95, 135, 175, 215, 255];
		const i = n - 16;
		return [steps[Math.floor(i / 36)] ?? 0, steps[Math.floor(i / 6) % 6] ?? 0, steps[i % 6] ?? 0];
	}
	const grey = 8 + (n - 232) * 10;
	return [grey, grey, grey];
}

export const hex = ([r, g, b]: Rgb): string =>
	`#${[r, g, b]
		.map(v =>
			Math.max(0, Math.min(255, Math.round(v)))
				.toString(16)
				.padStart(2, '0'),
		)
		.join('')}`;

/** The colour a fraction t of the way from a to b. */
export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
