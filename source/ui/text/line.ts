/**
 * The UI renders pre-wrapped lines, one <Text> each, so every pane's height is known before
 * Ink lays it out: that is what keeps the frame within the terminal's rows.
 */
import type {Tone} from '../tone.js';

export type {Tone} from '../tone.js';

export interface Segment {
	text: string;
	tone?: Tone;
	bold?: boolean;
}

export type Line = Segment[];

export const line = (...segments: Array<Segment | string>): Line =>
	segments.map(segment => (typeof segment === 'string' ? {text: segment} : segment));

export const blank: Line = [];

export const plainText = (value: Line): string => value.map(segment => segment.text).join('');
