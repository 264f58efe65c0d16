import assert from 'node:assert/strict';
import { test } from 'node:test';
import { h, reconcile } from '../dashboard/dom.js';

// Just enough of the DOM for reconcile(): child lists, attributes, class names, text nodes.
class FakeNode
{
	constructor(document)
	{
		this.ownerDocument = document;
		this.childNodes = [];
		this.parentNode = null;
	}

	insertBefore(node, before)
	{
		if (node.parentNode)
			node.parentNode.removeChild(node);
		const index = before ? this.childNodes.indexOf(before) : this.childNodes.length;
		this.childNodes.splice(index, 0, node);
		node.parentNode = this;
	}

	removeChild(node)
	{
		this.childNodes.splice(this.childNodes.indexOf(node), 1);
		node.parentNode = null;
	}
}

class FakeElement extends FakeNode
{
	constructor(document, tag)
	{
		super(document);
		this.tagName = tag;
		this.attributes = new Map();
		this.className = '';
	}

	setAttribute(name, value) { this.attributes.set(name, value); }

	removeAttribute(name) { this.attributes.delete(name); }

	get textContent() { return this.childNodes.map((node) => node.data ?? node.textContent).join(''); }
}

class FakeText extends FakeNode
{
	constructor(document, data) { super(document); this.data = data; }
}

const document = {
	createElement  : (tag) => new FakeElement(document, tag),
	createTextNode : (data) => new FakeText(document, data)
};

const rows = (items) => items.map(([ id, text ]) => h('tr', { key: id, 'data-id': id }, h('td', null, text)));

test('a refresh keeps the elements that stay and changes only their text', () =>
{
	const body = document.createElement('tbody');

	reconcile(body, rows([ [ 'a', '1 kbit/s' ], [ 'b', '2 kbit/s' ] ]));
	const [ a, b ] = body.childNodes;
	reconcile(body, rows([ [ 'a', '3 kbit/s' ], [ 'b', '2 kbit/s' ] ]));

	assert.equal(body.childNodes[0], a, 'the same element, not a new one');
	assert.equal(body.childNodes[1], b);
	assert.equal(a.textContent, '3 kbit/s');
	assert.equal(a.attributes.get('data-id'), 'a');
});

test('keyed children are moved, added and removed', () =>
{
	const body = document.createElement('tbody');

	reconcile(body, rows([ [ 'a', 'A' ], [ 'b', 'B' ], [ 'c', 'C' ] ]));
	const [ a, , c ] = body.childNodes;
	reconcile(body, rows([ [ 'c', 'C' ], [ 'd', 'D' ], [ 'a', 'A' ] ]));

	assert.deepEqual(body.childNodes.map((row) => row.attributes.get('data-id')), [ 'c', 'd', 'a' ]);
	assert.equal(body.childNodes[0], c);
	assert.equal(body.childNodes[2], a);
});

test('properties: class, handlers and attributes that go away', () =>
{
	const parent = document.createElement('div');
	const click = () => {};

	reconcile(parent, [ h('button', { key: 'x', class: 'danger', disabled: true, onclick: click }, 'Remove') ]);
	const [ button ] = parent.childNodes;
	assert.equal(button.className, 'danger');
	assert.equal(button.onclick, click);
	assert.equal(button.attributes.get('disabled'), '');

	reconcile(parent, [ h('button', { key: 'x' }, 'Remove') ]);
	assert.equal(parent.childNodes[0], button);
	assert.equal(button.className, '');
	assert.equal(button.onclick, null);
	assert.equal(button.attributes.has('disabled'), false);
});

test('null, false and nested arrays of children are flattened', () =>
{
	const parent = document.createElement('p');

	reconcile(parent, [ h('span', null, 'a', null, false, [ 'b', [ 'c' ] ], 7) ]);

	assert.equal(parent.textContent, 'abc7');
});
