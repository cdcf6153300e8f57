/** Words every layer shares: how durations read. */
export const common = {
	/** "12.4 s": under a minute, `seconds` already formatted with one decimal. */
	seconds: (seconds: string) => `${seconds} s`,
	/** "4 min 05 s": `seconds` already padded to two digits. */
	minutesSeconds: (minutes: string, seconds: string) => `${minutes} min ${seconds} s`,
	/** Between two sentences of one note. */
	sentenceJoiner: ' ',
};
