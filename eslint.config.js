import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', 'media/']},
	{
		// Tools that read only CommonJS configuration (dependency-cruiser).
		files: ['**/*.cjs'],
		languageOptions: {sourceType: 'commonjs', globals: {module: 'writable', require: 'readonly'}},
	},
	js.configs.recommended,
	...tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
	},
	{
		files: ['**/*.{ts,tsx}'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-console': 'off',
			// node:test's test() and describe() return promises the runner itself awaits.
			'@typescript-eslint/no-floating-promises': [
				'error',
				{
					allowForKnownSafeCalls: [
						{from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after']},
					],
				},
			],
		},
	},
	{
		// Fakes in tests and scripts, and the simulated network, implement async interfaces
		// without awaiting anything.
		files: ['test/**', 'scripts/**', 'bench/**', 'source/sim/**'],
		rules: {'@typescript-eslint/require-await': 'off'},
	},
);
