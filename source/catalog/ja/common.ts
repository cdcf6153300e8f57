import type {Messages} from '../messages.js';

export const common: Messages['common'] = {
	seconds: seconds => `${seconds}秒`,
	minutesSeconds: (minutes, seconds) => `${minutes}分${seconds}秒`,
	sentenceJoiner: '',
};
