// The "dots" frames ink-spinner uses, driven here by the app's one ticker instead of a timer per row.
const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export const spinnerFrame = (frame: number): string => frames[Math.abs(frame) % frames.length]!;
