import type {Messages} from '../messages.js';

export const common: Messages['common'] = {
	seconds: seconds => `${seconds} s`,
	minutesSeconds: (minutes, seconds) => `${minutes} min ${seconds} s`,
	sentenceJoiner: ' ',
};
