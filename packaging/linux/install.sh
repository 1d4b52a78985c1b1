#!/bin/sh
# Install this TuneDeck bundle for the current user: the program, a `tunedeck` command, a
# menu entry and its icons. Run it from the unpacked bundle:
#
#     ./install.sh              installs into ~/.local (PREFIX=/opt/tunedeck ./install.sh, or
#                               sudo PREFIX=/usr/local ./install.sh, installs elsewhere)
#     ./install.sh --uninstall  removes what an install put there
set -eu

app_id=io.github.tunedeck.TuneDeck
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
target=$prefix/lib/tunedeck
data=$prefix/share

remove() {
    rm -rf "$target"
    rm -f "$prefix/bin/tunedeck" "$data/applications/$app_id.desktop" \
        "$data/metainfo/$app_id.metainfo.xml"
    find "$data/icons/hicolor" -name "$app_id.*" -type f -delete 2>/dev/null || true
}

refresh_caches() {
    # Menus and icon themes pick the change up at once where these tools exist; otherwise at
    # the next login.
    command -v update-desktop-database >/dev/null &&
        update-desktop-database -q "$data/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null &&
        gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    remove
    refresh_caches
    echo "TuneDeck removed from $prefix"
    exit 0
fi
if [ ! -x "$here/tunedeck" ] || [ ! -d "$here/_internal" ]; then
    echo "install.sh: run me from the unpacked TuneDeck bundle (beside tunedeck and _internal/)" >&2
    exit 2
fi
if [ "$here" = "$target" ]; then
    echo "install.sh: this bundle is already installed at $target" >&2
    exit 2
fi

remove
mkdir -p "$target" "$prefix/bin" "$data/applications" "$data/metainfo" "$data/icons"
cp -R "$here/tunedeck" "$here/_internal" "$target/"
ln -s "$target/tunedeck" "$prefix/bin/tunedeck"
# The menu entry names the program by its full path: ~/.local/bin is not on every PATH.
sed "s|^Exec=tunedeck |Exec=\"$target/tunedeck\" |" "$here/share/applications/$app_id.desktop" \
    >"$data/applications/$app_id.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/"
cp -R "$here/share/icons/hicolor" "$data/icons/"
refresh_caches
echo "TuneDeck installed in $target"
echo "Start it from the applications menu, or run $prefix/bin/tunedeck"
