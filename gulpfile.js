const { src, dest } = require('gulp');

// n8n resolves `file:` icons relative to the built node and credential files,
// so the icons must sit beside them in dist/.
function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
