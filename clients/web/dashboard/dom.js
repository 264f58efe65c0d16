// A small keyed DOM update: the page describes what it shows with h(), and reconcile() changes
// only what differs, keeping the elements that stay (so a refresh every 2 s does not flicker,
// lose a hovered or focused button, or reset the scroll position).

/** An element description: tag, properties (key, class, on* handlers, attributes) and children (strings, descriptions, arrays, null). */
export function h(tag, props, ...children)
{
	return { tag, props: props ?? {}, children: flatten(children) };
}

function flatten(children)
{
	const flat = [];

	for (const child of children)
	{
		if (child === null || child === undefined || child === false)
			continue;
		if (Array.isArray(child))
			flat.push(...flatten(child));
		else if (typeof child === 'object')
			flat.push(child);
		else
			flat.push({ text: String(child) });
	}

	return flat;
}

function keyOf(description, index)
{
	return description.text !== undefined ? `#text:${index}` : `${description.tag}:${description.props.key ?? `#${index}`}`;
}

/** Makes parent's children match the descriptions (as h() takes children: nulls and nested arrays allowed). */
export function reconcile(parent, children)
{
	const descriptions = flatten(children);
	const existing = new Map();

	for (const node of Array.from(parent.childNodes))
	{
		if (node._dashboardKey !== undefined)
			existing.set(node._dashboardKey, node);
		else
			parent.removeChild(node);
	}

	descriptions.forEach((description, index) =>
	{
		const key = keyOf(description, index);
		let node = existing.get(key);

		if (node)
			existing.delete(key);
		else
			node = create(description, key, parent.ownerDocument);

		update(node, description);

		const current = parent.childNodes[index];

		if (current !== node)
			parent.insertBefore(node, current ?? null);
	});

	for (const node of existing.values())
		parent.removeChild(node);
}

function create(description, key, document)
{
	const node = description.text !== undefined
		? document.createTextNode('')
		: document.createElement(description.tag);

	node._dashboardKey = key;
	node._dashboardProps = {};

	return node;
}

function update(node, description)
{
	if (description.text !== undefined)
	{
		if (node.data !== description.text)
			node.data = description.text;

		return;
	}

	const previous = node._dashboardProps;
	const next = description.props;

	for (const name of Object.keys(previous))
	{
		if (name !== 'key' && !(name in next))
			setProperty(node, name, undefined);
	}

	for (const [ name, value ] of Object.entries(next))
	{
		if (name !== 'key' && previous[name] !== value)
			setProperty(node, name, value);
	}

	node._dashboardProps = next;
	reconcile(node, description.children);
}

function setProperty(node, name, value)
{
	if (name.startsWith('on'))
	{
		node[name] = value ?? null;
	}
	else if (name === 'class')
	{
		node.className = value ?? '';
	}
	else if (value === undefined || value === null || value === false)
	{
		node.removeAttribute(name);
	}
	else
	{
		node.setAttribute(name, value === true ? '' : String(value));
	}
}
