import cliSpinners from 'cli-spinners';

/**
 * ink-spinner's default spinner ("dots"), from the data ink-spinner draws it with, but moved by
 * the app's one ticker (state.frame, every 100 ms with the engine's events) rather than by a
 * <Spinner>: each <Spinner> runs its own 80 ms timer, and every tick of it makes Ink lay out and
 * write the whole screen again. One of them doubled the frames written during a sweep.
 */
const {frames} = cliSpinners.dots;

export const spinnerFrame = (frame: number): string => frames[Math.abs(frame) % frames.length]!;
