// Builds every page of this project: each folder with a main.js (room/, dashboard/, …) becomes
// dist/<page>/ with the bundled main.js (esbuild, every import inlined: no CDN at run time), its
// source map, and the page's index.html, css and images copied as they are.
//
//   node build.mjs            (npm run build)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(ROOT, 'dist');

// Folders that are never pages, even if one held a main.js.
const NOT_PAGES = new Set([ 'node_modules', 'dist', 'shared', 'test' ]);

// Files copied next to the bundle; the page's JavaScript is bundled, not copied.
const COPIED = new Set([ '.html', '.css', '.svg', '.png', '.ico' ]);

// mediasoup-client 2 has handlers for Chrome, Firefox and Safari; the bundle must parse in all three.
const TARGETS = [ 'chrome100', 'firefox100', 'safari15' ];

function pages()
{
	return fs.readdirSync(ROOT, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && !NOT_PAGES.has(entry.name) && !entry.name.startsWith('.'))
		.map((entry) => entry.name)
		.filter((name) => fs.existsSync(path.join(ROOT, name, 'main.js')))
		.sort();
}

async function buildPage(name)
{
	const source = path.join(ROOT, name);
	const target = path.join(DIST, name);

	fs.mkdirSync(target, { recursive: true });
	await esbuild.build(
		{
			entryPoints : [ path.join(source, 'main.js') ],
			outfile     : path.join(target, 'main.js'),
			bundle      : true,
			format      : 'iife',
			target      : TARGETS,
			minify      : true,
			sourcemap   : 'linked',
			// mediasoup-client 2 and protoo-client 3 were written for browserify and read `global`.
			define      : { global: 'window' },
			logLevel    : 'warning'
		});

	for (const file of fs.readdirSync(source))
	{
		if (COPIED.has(path.extname(file)))
			fs.copyFileSync(path.join(source, file), path.join(target, file));
	}

	return fs.readdirSync(target).sort();
}

fs.rmSync(DIST, { recursive: true, force: true });

const built = pages();

if (built.length === 0)
	throw new Error(`no page to build: no ${ROOT}/<page>/main.js`);

for (const name of built)
	console.log(`dist/${name}/: ${(await buildPage(name)).join(', ')}`);
