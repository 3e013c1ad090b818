#!/bin/sh
# Installs EdgeGUI from this folder without root: the app goes to ~/.local/opt/edgegui, a
# link to ~/.local/bin/edgegui, and a menu entry with its icon to ~/.local/share. Nothing is
# downloaded and no system file is touched. As root, it installs for everyone under
# /usr/local instead (the app in /usr/local/lib/edgegui).
#
#   ./install.sh              install (or upgrade)
#   ./install.sh --user       install for this user even as root
#   ./install.sh --uninstall  remove what install.sh put there (a copy of this script is kept
#                             in the installed folder for that; add --user as you installed)
#
# EdgeGUI also runs straight from this folder (./edgegui), e.g. from a USB stick.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
action=install scope=auto
for arg in "$@"; do
  case "$arg" in
    --uninstall) action=uninstall ;;
    --user) scope=user ;;
    *) echo "install.sh: unknown option $arg (--user, --uninstall)" >&2; exit 2 ;;
  esac
done
if [ "$scope" = auto ] && [ "$(id -u)" = 0 ]; then
  app=/usr/local/lib/edgegui bin=/usr/local/bin share=/usr/local/share  # /opt/edgegui is the .deb's
else
  app=$HOME/.local/opt/edgegui bin=$HOME/.local/bin share=${XDG_DATA_HOME:-$HOME/.local/share}
fi
sizes="16 22 24 32 48 64 128 256 512"

uninstall() {
  rm -f "$bin/edgegui" "$share/applications/edgegui.desktop" \
    "$share/icons/hicolor/scalable/apps/edgegui.svg"
  for size in $sizes; do
    rm -f "$share/icons/hicolor/${size}x${size}/apps/edgegui.png"
  done
  rm -rf "$app"
  echo "EdgeGUI removed from $app"
}

if [ "$action" = uninstall ]; then
  uninstall
  exit 0
fi
if [ ! -x "$here/edgegui" ] || [ ! -d "$here/_internal" ]; then
  echo "install.sh: run it from the unpacked EdgeGUI folder" >&2
  exit 1
fi

rm -rf "$app.new"
mkdir -p "$app.new" "$(dirname "$app")"
cp -R "$here/edgegui" "$here/_internal" "$here/install.sh" "$app.new/"
rm -rf "$app" && mv "$app.new" "$app"  # an upgrade replaces the old copy as a whole

mkdir -p "$bin" "$share/applications" "$share/icons/hicolor/scalable/apps"
ln -sf "$app/edgegui" "$bin/edgegui"
sed "s|^Exec=edgegui|Exec=$app/edgegui|" "$here/share/applications/edgegui.desktop" \
  > "$share/applications/edgegui.desktop"
cp "$here/share/icons/hicolor/scalable/apps/edgegui.svg" "$share/icons/hicolor/scalable/apps/"
for size in $sizes; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$here/share/icons/hicolor/${size}x${size}/apps/edgegui.png" \
    "$share/icons/hicolor/${size}x${size}/apps/"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true

echo "EdgeGUI installed in $app"
case ":$PATH:" in
  *":$bin:"*) echo "Run it from the menu, or: edgegui" ;;
  *) echo "Run it from the menu, or: $bin/edgegui ($bin is not on your PATH)" ;;
esac
