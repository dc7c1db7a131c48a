#!/usr/bin/env bash
# Restore a backup made by backup.sh into a database.
#
#   deploy/scripts/restore.sh DUMP TARGET_DATABASE_URL [--replace]
#
# Checks the dump's sha256 first. Into an empty database it restores as is;
# into one that has tables it refuses unless --replace is given (then objects
# are dropped and recreated: stop portal-web, -worker and -beat first).
# Afterwards run `manage.py migrate` (a no-op when the code matches the dump)
# and `manage.py check --deploy`. Uploads: tar -xzf the .uploads.tar.gz into
# PRIVATE_STORAGE_ROOT, or restore the bucket's object versions.
set -euo pipefail

dump="${1:?usage: restore.sh DUMP TARGET_DATABASE_URL [--replace]}"
target="${2:?usage: restore.sh DUMP TARGET_DATABASE_URL [--replace]}"
replace="${3:-}"

if [ -f "$dump.sha256" ]; then
  (cd "$(dirname "$dump")" && sha256sum --check --status "$(basename "$dump").sha256") \
    || { echo "restore: $dump does not match its .sha256; refusing" >&2; exit 2; }
fi

tables="$(psql "$target" -XAtc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
args=(--no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target")
if [ "$tables" != "0" ]; then
  if [ "$replace" != "--replace" ]; then
    echo "restore: the target has $tables tables; pass --replace to overwrite it" >&2
    exit 3
  fi
  args+=(--clean --if-exists)
fi
pg_restore "${args[@]}" "$dump"
psql "$target" -XAtc "ANALYZE" >/dev/null
echo "restored $dump into the target ($(psql "$target" -XAtc \
  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") tables)"
