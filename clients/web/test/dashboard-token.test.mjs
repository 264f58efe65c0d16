import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOKEN_KEY, TokenStore, normalizeToken } from '../dashboard/token.js';

function memoryStorage()
{
	const items = new Map();

	return {
		items,
		getItem    : (key) => (items.has(key) ? items.get(key) : null),
		setItem    : (key, value) => items.set(key, String(value)),
		removeItem : (key) => items.delete(key)
	};
}

test('a pasted token is kept trimmed and without a Bearer prefix, in the tab\'s storage', () =>
{
	const storage = memoryStorage();
	const store = new TokenStore(storage);

	assert.equal(store.get(), null);
	assert.equal(store.set('  Bearer eyJ.abc.def \n'), 'eyJ.abc.def');
	assert.equal(storage.items.get(TOKEN_KEY), 'eyJ.abc.def');
	assert.equal(new TokenStore(storage).get(), 'eyJ.abc.def', 'a reload of the tab finds it again');

	store.clear();
	assert.equal(store.get(), null);
	assert.equal(storage.items.has(TOKEN_KEY), false);
});

test('an empty token is not kept', () =>
{
	const store = new TokenStore(memoryStorage());

	assert.equal(store.set('   '), null);
	assert.equal(store.set('bearer '), null);
	assert.equal(store.get(), null);
	assert.equal(normalizeToken(undefined), null);
});

test('a storage that refuses still keeps the token for this page', () =>
{
	const refusing = {
		getItem    : () => { throw new Error('denied'); },
		setItem    : () => { throw new Error('quota'); },
		removeItem : () => { throw new Error('denied'); }
	};
	const store = new TokenStore(refusing);

	assert.equal(store.set('abc'), 'abc');
	assert.equal(store.get(), 'abc');
	store.clear();
	assert.equal(store.get(), null);
});
