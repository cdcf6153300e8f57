// Which code page Windows' console programs print in. chcp says so; when it is missing, fails or
// prints something else, the registry's OEM code page is the one a console starts with (chcp
// changes it only for that console, and ours never ran it).
import {knowsCodePage, parseChcp} from './console-code-page.js';
import {type CommandRun, type Runner, runCommand} from './run-command.js';

const codePageKey = String.raw`HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage`;
export const regQueryArgs = ['query', codePageKey, '/v', 'OEMCP'];

/**
 * The OEMCP value of `reg query …\Nls\CodePage /v OEMCP`: a line "    OEMCP    REG_SZ    850".
 * The words around it are English in every language; anything else is no answer.
 */
export const parseRegOemCodePage = (output: string): number | undefined => {
	const match = /^\s*OEMCP\s+REG_SZ\s+(\d{3,5})\s*$/im.exec(output);
	return match ? Number(match[1]) : undefined;
};

export interface CodePageAnswer {
	/** Undefined when no command gave a code page this build can decode. */
	codePage?: number;
	/** What was run, in order: chcp, then reg only when chcp gave no usable answer. */
	runs: CommandRun[];
}

const usable = (codePage: number | undefined): number | undefined =>
	codePage !== undefined && knowsCodePage(codePage) ? codePage : undefined;

/** chcp, else the registry; never throws, whatever the commands print or however they fail. */
export const findConsoleCodePage = async (run: Runner, timeoutMs: number): Promise<CodePageAnswer> => {
	const chcp = await runCommand(run, 'chcp', [], timeoutMs);
	const fromChcp = chcp.error === undefined ? usable(parseChcp(chcp.output)) : undefined;
	if (fromChcp !== undefined) {
		return {codePage: fromChcp, runs: [chcp]};
	}

	const reg = await runCommand(run, 'reg', regQueryArgs, timeoutMs);
	const fromReg = reg.error === undefined ? usable(parseRegOemCodePage(reg.output)) : undefined;
	return fromReg === undefined ? {runs: [chcp, reg]} : {codePage: fromReg, runs: [chcp, reg]};
};
