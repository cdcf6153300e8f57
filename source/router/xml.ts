// A small XML reader for UPnP descriptions and SOAP replies from a LAN device we do not trust:
// bounded in size, depth and element count; DOCTYPE (and with it every entity definition) is
// refused, only the five predefined entities and character references are decoded. Never throws.

export interface XmlElement {
	/** Local name: the namespace prefix is dropped ("u:GetExternalIPAddressResponse" → the rest). */
	name: string;
	children: XmlElement[];
	/** The element's own text (CDATA included), trimmed. */
	text: string;
}

export interface XmlLimits {
	maxLength?: number;
	maxDepth?: number;
	maxElements?: number;
}

const predefined: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"};

function decodeText(raw: string): string {
	return raw.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/gi, (whole, ref: string) => {
		if (ref.startsWith('#')) {
			const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
		}

		return predefined[ref] ?? whole;
	});
}

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

/** The end of a start tag, skipping '>' inside quoted attribute values; -1 if unterminated. */
function tagEnd(text: string, from: number): number {
	let quote = '';
	for (let i = from; i < text.length; i++) {
		const c = text[i]!;
		if (quote) {
			if (c === quote) quote = '';
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '>') return i;
	}

	return -1;
}

/** The root element, or undefined for anything malformed, too big, too deep or with a DOCTYPE. */
export function parseXml(text: string, limits: XmlLimits = {}): XmlElement | undefined {
	const {maxLength = 64 * 1024, maxDepth = 32, maxElements = 4000} = limits;
	if (text.length > maxLength) return undefined;
	const stack: Array<XmlElement & {raw: string[]}> = [];
	let root: XmlElement | undefined;
	let count = 0;
	let i = 0;
	while (i < text.length) {
		const open = text.indexOf('<', i);
		const chunk = text.slice(i, open === -1 ? text.length : open);
		if (stack.length > 0) stack.at(-1)!.raw.push(decodeText(chunk));
		else if (chunk.trim() !== '') return undefined; // text outside the root element
		if (open === -1) break;
		if (text.startsWith('<?', open)) {
			const end = text.indexOf('?>', open + 2);
			if (end === -1) return undefined;
			i = end + 2;
		} else if (text.startsWith('<!--', open)) {
			const end = text.indexOf('-->', open + 4);
			if (end === -1) return undefined;
			i = end + 3;
		} else if (text.startsWith('<![CDATA[', open)) {
			const end = text.indexOf(']]>', open + 9);
			if (end === -1 || stack.length === 0) return undefined;
			stack.at(-1)!.raw.push(text.slice(open + 9, end));
			i = end + 3;
		} else if (text.startsWith('<!', open)) {
			return undefined; // DOCTYPE, ENTITY and friends: never expanded, never accepted
		} else if (text.startsWith('</', open)) {
			const end = text.indexOf('>', open + 2);
			const name = end === -1 ? '' : localName(text.slice(open + 2, end).trim());
			const top = stack.pop();
			if (!top || top.name !== name) return undefined;
			top.text = top.raw.join('').trim();
			i = end + 1;
		} else {
			const end = tagEnd(text, open + 1);
			if (end === -1) return undefined;
			const body = text.slice(open + 1, end);
			const selfClosing = body.endsWith('/');
			const qualified = /^[^\s/>]+/.exec(body)?.[0];
			if (!qualified || ++count > maxElements || stack.length >= maxDepth) return undefined;
			const element = {name: localName(qualified), children: [], text: '', raw: [] as string[]};
			const parent = stack.at(-1);
			if (parent) parent.children.push(element);
			else if (root)
				return undefined; // a second root
			else root = element;
			if (!selfClosing) stack.push(element);
			i = end + 1;
		}
	}

	if (stack.length > 0 || !root) return undefined;
	return strip(root);
}

// Drop the parser's scratch field so callers see plain XmlElement objects.
function strip(element: XmlElement): XmlElement {
	return {name: element.name, text: element.text, children: element.children.map(strip)};
}

export const childElement = (element: XmlElement, name: string): XmlElement | undefined =>
	element.children.find(child => child.name === name);

export const childText = (element: XmlElement, name: string): string | undefined => childElement(element, name)?.text;

/** Every element named `name` below `element`, depth first. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
	const found: XmlElement[] = [];
	const walk = (node: XmlElement): void => {
		for (const child of node.children) {
			if (child.name === name) found.push(child);
			walk(child);
		}
	};

	walk(element);
	return found;
}
