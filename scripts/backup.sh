#!/usr/bin/env bash
# Back up the product: the PostgreSQL database (pg_dump, custom format) and the
# uploaded files (a tarball of MEDIA_ROOT), with SHA-256 checksums.
#
#   DATABASE_URL=postgres://user:pass@host:5432/congress MEDIA_ROOT=/var/lib/congress/media \
#     scripts/backup.sh [DEST_DIR]          # default DEST_DIR: $BACKUP_DIR or var/backups
#
# Writes DEST_DIR/congress-<UTC stamp>.dump, .media.tar.gz and .sha256; files
# appear only when complete (written as .partial, then renamed). The dump is
# consistent (one snapshot) while the site keeps running; take the media
# tarball right after it, so at worst a file uploaded in between is extra.
# Restore with scripts/restore.sh (docs/reliability.md has the whole procedure).
set -euo pipefail

dest=${1:-${BACKUP_DIR:-var/backups}}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case $DATABASE_URL in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL; the embedded SQLite demo is backed up by copying var/" >&2
     exit 2 ;;
esac
media=${MEDIA_ROOT:-var/media}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
base="$dest/congress-$stamp"

umask 077  # backups hold personal data: readable by the operator only
mkdir -p "$dest"
trap 'rm -f "$base".*.partial' EXIT

pg_dump --format=custom --compress=6 --no-owner --no-privileges \
  --dbname="$DATABASE_URL" --file="$base.dump.partial"

if [[ -d $media ]]; then
  tar -C "$media" -czf "$base.media.tar.gz.partial" .
else
  echo "backup.sh: no media directory at $media; writing an empty media archive" >&2
  tar -czf "$base.media.tar.gz.partial" --files-from /dev/null
fi

mv "$base.dump.partial" "$base.dump"
mv "$base.media.tar.gz.partial" "$base.media.tar.gz"
(cd "$dest" && sha256sum "$(basename "$base.dump")" "$(basename "$base.media.tar.gz")") \
  > "$base.sha256"
echo "$base.dump"
echo "$base.media.tar.gz"
