#!/usr/bin/env bash
# Re-vendor the front-end libraries into static/vendor/.
#
# The product runs on closed government networks, so nothing may be loaded
# from a CDN: the browser only ever sees files served by our own server.
# This script is for maintainers bumping a version; CI and the Docker build
# never run it (the vendored files are committed).
#
# Usage: scripts/vendor_static.sh        (needs node + npm and registry access)
#
# To upgrade: change a version below, run the script once, paste the
# integrity it prints into the matching *_INTEGRITY line, run it again, and
# update static/vendor/VERSIONS.md.
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_INTEGRITY="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
BOOTSTRAP_ICONS_VERSION=1.13.2
BOOTSTRAP_ICONS_INTEGRITY="sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="
HTMX_VERSION=2.0.11
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
TOM_SELECT_VERSION=2.6.2
TOM_SELECT_INTEGRITY="sha512-eiXIkk82XzzUTOVQDFpy+ZGejuqdTvMukyUyeZBQaKnqW42UoTiTZnrod/eX0rkqJEc4rZY9DZ3zdjV07i29wQ=="
ECHARTS_VERSION=5.6.0
ECHARTS_INTEGRITY="sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA=="

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION INTEGRITY: npm pack the tarball, check it against the
# pinned integrity (npm only checks it against what the registry says), and
# unpack it into $work/NAME/package/.
fetch() {
    local name=$1 version=$2 expected=$3 tarball actual
    tarball="$(cd "$work" && npm pack --silent "$name@$version")"
    actual="sha512-$(node -e '
        const fs = require("fs"), crypto = require("crypto");
        process.stdout.write(crypto.createHash("sha512")
            .update(fs.readFileSync(process.argv[1])).digest("base64"));
    ' "$work/$tarball")"
    if [[ "$actual" != "$expected" ]]; then
        echo "integrity mismatch for $name@$version" >&2
        echo "  expected $expected" >&2
        echo "  got      $actual" >&2
        exit 1
    fi
    mkdir -p "$work/$name"
    tar -xzf "$work/$tarball" -C "$work/$name"
}

fetch bootstrap "$BOOTSTRAP_VERSION" "$BOOTSTRAP_INTEGRITY"
fetch bootstrap-icons "$BOOTSTRAP_ICONS_VERSION" "$BOOTSTRAP_ICONS_INTEGRITY"
fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY"
fetch tom-select "$TOM_SELECT_VERSION" "$TOM_SELECT_INTEGRITY"
fetch echarts "$ECHARTS_VERSION" "$ECHARTS_INTEGRITY"

rm -rf "$dest/bootstrap" "$dest/bootstrap-icons" "$dest/htmx"
mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" \
    "$dest/bootstrap-icons" "$dest/htmx"

# The .map files are not optional: the minified files end in a
# sourceMappingURL comment, and Django's ManifestStaticFilesStorage (and
# WhiteNoise's subclass) fails collectstatic when that file is missing.
src="$work/bootstrap/package"
cp "$src/LICENSE" "$dest/bootstrap/"
cp "$src/dist/css/bootstrap.min.css" "$src/dist/css/bootstrap.min.css.map" "$dest/bootstrap/css/"
cp "$src/dist/js/bootstrap.bundle.min.js" "$src/dist/js/bootstrap.bundle.min.js.map" "$dest/bootstrap/js/"

# Not the icon font (~130 KB compressed on every first visit for fifty glyphs):
# the upstream sprite of every icon, from which scripts/build_icons.py keeps
# the ones we use in static/icons/icons.svg.
src="$work/bootstrap-icons/package"
cp "$src/LICENSE" "$dest/bootstrap-icons/"
cp "$src/bootstrap-icons.svg" "$dest/bootstrap-icons/"

src="$work/htmx.org/package"
cp "$src/LICENSE" "$dest/htmx/"
cp "$src/dist/htmx.min.js" "$dest/htmx/"

# The search-as-you-type filter fields (static/js/lookup.js): the "complete"
# build bundles its two small dependencies; its Bootstrap 5 theme.
src="$work/tom-select/package"
rm -rf "$dest/tom-select"
mkdir -p "$dest/tom-select/js" "$dest/tom-select/css"
cp "$src/LICENSE" "$dest/tom-select/"
cp "$src/dist/js/tom-select.complete.min.js" "$src/dist/js/tom-select.complete.min.js.map" "$dest/tom-select/js/"
cp "$src/dist/css/tom-select.bootstrap5.min.css" "$src/dist/css/tom-select.bootstrap5.min.css.map" "$dest/tom-select/css/"

# The staff dashboard's charts (static/js/dashboard.js). The page's <script> tag
# pins the file's sha384 (static/vendor/VERSIONS.md): update it with the version.
src="$work/echarts/package"
rm -rf "$dest/echarts"
mkdir -p "$dest/echarts"
cp "$src/LICENSE" "$src/NOTICE" "$src/dist/echarts.min.js" "$dest/echarts/"
openssl dgst -sha384 -binary "$dest/echarts/echarts.min.js" | base64 -w0 | sed 's/^/echarts.min.js sha384-/'
echo

python3 "$repo_root/scripts/build_icons.py"

echo "vendored bootstrap $BOOTSTRAP_VERSION, bootstrap-icons $BOOTSTRAP_ICONS_VERSION, htmx.org $HTMX_VERSION into $dest"
