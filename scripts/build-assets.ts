// Builds what the browser loads: the council-branded CSS from Sass, and the progressive-enhancement scripts.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as sass from 'sass';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

const css = await sass.compileAsync(path.join(root, 'assets/scss/application.scss'), {
  importers: [new sass.NodePackageImporter()],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
await mkdir(path.join(root, 'public/stylesheets'), { recursive: true });
await writeFile(path.join(root, 'public/stylesheets/application.css'), css.css);

await mkdir(path.join(root, 'public/javascripts'), { recursive: true });
await copyFile(path.join(govukDist, 'govuk-frontend.min.js'), path.join(root, 'public/javascripts/govuk-frontend.min.js'));
await copyFile(path.join(root, 'assets/js/init.js'), path.join(root, 'public/javascripts/init.js'));
console.log('Built public/stylesheets/application.css and public/javascripts/');
