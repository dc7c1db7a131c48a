#!/usr/bin/env bash
# Back up the portal: the database as a custom-format dump (pg_dump -Fc), and the
# uploads when they are on a local disk (object storage keeps its own versions:
# turn on bucket versioning and cross-region replication instead).
#
#   deploy/scripts/backup.sh DIRECTORY        (DATABASE_URL from the environment)
#
# Writes DIRECTORY/portal-YYYYmmddTHHMMSSZ.dump (+ .uploads.tar.gz) and a
# .sha256 beside each, then deletes backups older than BACKUP_KEEP_DAYS (14).
# The identity keys (IDENTITY_ENCRYPTION_KEY, IDENTITY_HASH_KEY) are NOT in the
# dump: keep them in the secret store, apart from the backups.
set -euo pipefail

dir="${1:?usage: backup.sh DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL is not set}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
umask 077

dump="$dir/portal-$stamp.dump"
# -Fc: compressed, restorable table by table, in parallel (pg_restore -j).
# Consistent without stopping the portal: pg_dump takes one snapshot.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
  --file="$dump.partial" --dbname="$DATABASE_URL"
mv "$dump.partial" "$dump"
# A dump that pg_restore cannot list is no backup.
pg_restore --list "$dump" >/dev/null
# Names relative to the directory: the pair still checks after being copied elsewhere.
(cd "$dir" && sha256sum "portal-$stamp.dump") >"$dump.sha256"

if [ -z "${AWS_STORAGE_BUCKET_NAME:-}" ] && [ -n "${PRIVATE_STORAGE_ROOT:-}" ] \
  && [ -d "$PRIVATE_STORAGE_ROOT" ]; then
  tar -C "$PRIVATE_STORAGE_ROOT" -czf "$dir/portal-$stamp.uploads.tar.gz" .
  (cd "$dir" && sha256sum "portal-$stamp.uploads.tar.gz") \
    >"$dir/portal-$stamp.uploads.tar.gz.sha256"
fi

find "$dir" -maxdepth 1 -name 'portal-*' -mtime +"$keep_days" -delete
echo "$dump"
