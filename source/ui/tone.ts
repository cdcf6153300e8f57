/**
 * How a piece of text should be taken; the theme turns it into a colour. Its own module because
 * the state (a notice's tone) and the text builders both name it, and state/ must not import text/.
 */
export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'muted';
