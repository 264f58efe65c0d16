// Tiny DOM helpers shared by the pages. No innerHTML anywhere: text always goes in as text.

/**
 * Creates an element: `element('button', { className: 'x', text: 'Go', attrs: { type: 'button' },
 * on: { click: handler } }, [ children ])`.
 */
export function element(tag, { className, text, attrs, on } = {}, children = [])
{
	const node = document.createElement(tag);

	if (className)
		node.className = className;

	if (text !== undefined)
		node.textContent = text;

	for (const [ name, value ] of Object.entries(attrs || {}))
		node.setAttribute(name, value);

	for (const [ type, handler ] of Object.entries(on || {}))
		node.addEventListener(type, handler);

	for (const child of children)
		node.append(child);

	return node;
}

/** The element with this id; throws when the page lacks it (a broken index.html). */
export function byId(id)
{
	const node = document.getElementById(id);

	if (!node)
		throw new Error(`the page has no #${id}`);

	return node;
}
