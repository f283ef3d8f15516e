#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a FRESH database and media directory.
#
#   DATABASE_URL=postgres://user:pass@host:5432/congress_restored MEDIA_ROOT=/srv/media-restored \
#     scripts/restore.sh BACKUP.dump [BACKUP.media.tar.gz]
#
# The database is created if it does not exist; an existing database must be
# empty, and an existing media directory must be empty too: a restore never
# mixes with live data. Checksums are verified when the .sha256 file is beside
# the dump. After a restore, run `manage.py migrate` (a newer release may have
# migrations the backup predates) and `manage.py check`.
set -euo pipefail

dump=${1:?usage: restore.sh BACKUP.dump [BACKUP.media.tar.gz]}
media_archive=${2:-${dump%.dump}.media.tar.gz}
: "${DATABASE_URL:?DATABASE_URL must name the database to restore into}"
media=${MEDIA_ROOT:-var/media}

sums=${dump%.dump}.sha256
if [[ -f $sums ]]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$sums")")
else
  echo "restore.sh: no checksum file $sums; restoring unverified" >&2
fi

# postgres://user:pass@host:port/name?options -> the server URL and the name
server=${DATABASE_URL%/*}
name=${DATABASE_URL##*/}
name=${name%%\?*}
if [[ ! $name =~ ^[A-Za-z0-9_]+$ ]]; then
  echo "restore.sh: unexpected database name '$name'" >&2
  exit 2
fi
exists=$(psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
if [[ $exists != 1 ]]; then
  psql "$server/postgres" -q -c "CREATE DATABASE \"$name\""
  echo "created database $name"
fi
tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [[ $tables != 0 ]]; then
  echo "restore.sh: database $name already has $tables tables; restore only into a fresh one" >&2
  exit 3
fi
if [[ -d $media ]] && [[ -n $(ls -A "$media") ]]; then
  echo "restore.sh: media directory $media is not empty; restore only into a fresh one" >&2
  exit 3
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"
mkdir -p "$media"
if [[ -f $media_archive ]]; then
  tar -C "$media" -xzf "$media_archive" --no-same-owner
else
  echo "restore.sh: no media archive $media_archive; files were not restored" >&2
fi
cases=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM congress_assignment")
files=$(find "$media" -type f | wc -l)
echo "restored database $name ($cases assignments) and $files media files into $media"
