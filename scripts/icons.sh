#!/usr/bin/env bash
# Regenerates every icon size in build/ from the one source image, build/icon.svg.
# The outputs are committed, so packaging (and users) never need these tools;
# only someone changing the artwork runs this:  scripts/icons.sh
#
# Needs: rsvg-convert (librsvg; best SVG fidelity), ImageMagick (for .ico) and
# png2icns (libicns, for .icns). Debian/Ubuntu: apt-get install librsvg2-bin
# imagemagick icnsutils; macOS: brew install librsvg imagemagick libicns.
set -euo pipefail
cd "$(dirname "$0")/.."

src=build/icon.svg
for tool in rsvg-convert png2icns; do
  command -v "$tool" >/dev/null || { echo "icons: '$tool' not found (see the header of $0)" >&2; exit 1; }
done
if command -v magick >/dev/null; then im=(magick); elif command -v convert >/dev/null; then im=(convert)
else echo "icons: ImageMagick not found (see the header of $0)" >&2; exit 1; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render() { rsvg-convert --width "$1" --height "$1" --keep-aspect-ratio "$src" --output "$2"; }

# Linux: electron-builder reads a directory of NxN.png files (hicolor theme sizes).
rm -rf build/icons && mkdir -p build/icons
for size in 16 24 32 48 64 128 256 512 1024; do
  render "$size" "build/icons/${size}x${size}.png"
done
# 1024 px master PNG: electron-builder's fallback and the macOS dock size.
cp build/icons/1024x1024.png build/icon.png

# Windows: one .ico with the sizes Explorer, the taskbar and the installer ask for.
# Date chunks are left out so rerunning on unchanged art gives identical files.
"${im[@]}" build/icons/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}.png \
  -define png:exclude-chunks=date,time build/icon.ico

# macOS: png2icns picks the icns slot for each size it is given.
png2icns build/icon.icns build/icons/{16x16,32x32,128x128,256x256,512x512,1024x1024}.png >/dev/null

ls -l build/icon.png build/icon.ico build/icon.icns build/icons
