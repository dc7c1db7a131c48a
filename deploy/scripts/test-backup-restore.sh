#!/usr/bin/env bash
# Proves backup.sh and restore.sh on a real PostgreSQL, end to end:
#   1. a scratch source database, migrated and loaded with the demo data;
#   2. backup.sh (pg_dump -Fc) of it;
#   3. restore.sh into a second, empty scratch database;
#   4. every table compared row for row (count and an md5 of its sorted rows),
#      and the portal itself reads the copy: no migration pending, and an
#      encrypted identity number decrypts to the same number;
#   5. restore.sh refuses a non-empty target without --replace, replaces with it,
#      and refuses a dump whose checksum does not match.
# Both scratch databases are dropped at the end (KEEP=1 keeps them).
#
#   PG_URL=postgres://postgres@127.0.0.1:5432 deploy/scripts/test-backup-restore.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
SRC="${SRC_DB:-h_backup_src}"
DST="${DST_DB:-h_backup_dst}"
PY="${PY:-.venv/bin/python}"
for name in "$SRC" "$DST"; do
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "bad database name $name" >&2; exit 2; }
done
work="$(mktemp -d)"
cleanup() {
  rm -rf "$work"
  if [ "${KEEP:-0}" != "1" ]; then
    psql "$PG_URL/postgres" -XqAtc "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" || true
    psql "$PG_URL/postgres" -XqAtc "DROP DATABASE IF EXISTS $DST WITH (FORCE)" || true
  fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }

step "scratch databases $SRC and $DST"
for name in "$SRC" "$DST"; do
  psql "$PG_URL/postgres" -XqAtc "DROP DATABASE IF EXISTS $name WITH (FORCE)"
  psql "$PG_URL/postgres" -XqAtc "CREATE DATABASE $name"
done

export DJANGO_SETTINGS_MODULE=config.settings.dev LOG_LEVEL=WARNING
step "migrate and load the demo into $SRC"
DATABASE_URL="$PG_URL/$SRC" "$PY" manage.py migrate --noinput -v0
DATABASE_URL="$PG_URL/$SRC" "$PY" manage.py seed_demo >/dev/null

step "backup.sh"
t0=$(now)
dump="$(DATABASE_URL="$PG_URL/$SRC" BACKUP_KEEP_DAYS=1 deploy/scripts/backup.sh "$work/backups" | tail -1)"
t1=$(now)
echo "dump: $(basename "$dump"), $(stat -c %s "$dump") bytes, $(echo "$t1 - $t0" | bc) s"

step "restore.sh into the empty $DST"
t0=$(now)
deploy/scripts/restore.sh "$dump" "$PG_URL/$DST"
t1=$(now)
echo "restore: $(echo "$t1 - $t0" | bc) s"

fingerprint() {  # one line per table: name, row count, md5 of the sorted rows
  local db="$1"
  psql "$PG_URL/$db" -XAtc "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1" |
    while read -r table; do
      printf '%s|%s\n' "$table" "$(psql "$PG_URL/$db" -XAtc \
        "SELECT count(*) || '|' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"$table\" t")"
    done
}

step "compare every table"
fingerprint "$SRC" >"$work/src.txt"
fingerprint "$DST" >"$work/dst.txt"
tables=$(wc -l <"$work/src.txt")
rows=$(awk -F'|' '{s += $2} END {print s}' "$work/src.txt")
if ! diff -u "$work/src.txt" "$work/dst.txt"; then
  echo "FAIL: the restored database differs" >&2
  exit 1
fi
echo "ok: $tables tables, $rows rows, identical"

step "the portal reads the copy"
DATABASE_URL="$PG_URL/$DST" "$PY" manage.py migrate --check -v0 && echo "ok: no migration pending"
check_identity='
from registry.models import Marketer
m = Marketer.objects.exclude(id_number_encrypted="").order_by("pk").first()
print(m.pk, m.id_number_hash)
'
a="$(DATABASE_URL="$PG_URL/$SRC" "$PY" manage.py shell -v0 -c "$check_identity")"
b="$(DATABASE_URL="$PG_URL/$DST" "$PY" manage.py shell -v0 -c "$check_identity")"
decrypt='
from portal.identity import decrypt_identity, identity_hash
from registry.models import Marketer
m = Marketer.objects.exclude(id_number_encrypted="").order_by("pk").first()
number = decrypt_identity(m.id_number_encrypted)
print("decrypts:", identity_hash(number) == m.id_number_hash)
'
[ "$a" = "$b" ] || { echo "FAIL: marketer rows differ: $a / $b" >&2; exit 1; }
DATABASE_URL="$PG_URL/$DST" "$PY" manage.py shell -v0 -c "$decrypt" | tee "$work/decrypt.txt"
grep -q "decrypts: True" "$work/decrypt.txt"

step "restore.sh refuses a non-empty target without --replace"
set +e
deploy/scripts/restore.sh "$dump" "$PG_URL/$DST" 2>"$work/err.txt"
code=$?
set -e
cat "$work/err.txt"
[ "$code" = "3" ] || { echo "FAIL: expected exit 3, got $code" >&2; exit 1; }

step "restore.sh --replace over it"
deploy/scripts/restore.sh "$dump" "$PG_URL/$DST" --replace
fingerprint "$DST" >"$work/dst2.txt"
diff -u "$work/src.txt" "$work/dst2.txt" >/dev/null && echo "ok: identical after --replace"

step "restore.sh refuses a dump that does not match its checksum"
cp "$dump" "$work/tampered.dump"
cp "$dump.sha256" "$work/tampered.dump.sha256"
sed -i "s#$(basename "$dump")#tampered.dump#" "$work/tampered.dump.sha256"
printf 'x' >>"$work/tampered.dump"
set +e
deploy/scripts/restore.sh "$work/tampered.dump" "$PG_URL/$DST" --replace 2>"$work/err.txt"
code=$?
set -e
cat "$work/err.txt"
[ "$code" = "2" ] || { echo "FAIL: expected exit 2, got $code" >&2; exit 1; }

printf '\nPASS: backup and restore verified (%s tables, %s rows)\n' "$tables" "$rows"
