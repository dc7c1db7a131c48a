#!/usr/bin/env bash
# Rebuilds the upgrade fixture (before.sql.gz, before.json) from the release
# the upgrade starts from: that release's migrations, its demo data, the extra
# records of old_extras.py, then a dump and a snapshot. Run from the repository
# root with PostgreSQL on 127.0.0.1 (trust auth) and the virtualenv in .venv:
#     bash tests/upgrade/make_fixture.sh [commit]
set -euo pipefail
FROM=${1:-32ebeaf}   # the last release before the code moved to config/, filings/, oversight/
HERE=$(pwd)
OLD=$(mktemp -d)
DB=portal_upgrade_fixture
trap 'cd "$HERE"; git worktree remove --force "$OLD"; dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"' EXIT
git worktree add -q --detach "$OLD" "$FROM"
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB CELERY_TASK_ALWAYS_EAGER=true
export DJANGO_SETTINGS_MODULE=portal.settings.dev PYTHONPATH=$OLD
cd "$OLD"
"$HERE/.venv/bin/python" manage.py migrate --noinput -v0
"$HERE/.venv/bin/python" manage.py seed_demo >/dev/null
"$HERE/.venv/bin/python" "$HERE/tests/upgrade/old_extras.py"
"$HERE/.venv/bin/python" "$HERE/tests/upgrade/snapshot.py" write "$HERE/tests/upgrade/before.json"
pg_dump -h 127.0.0.1 -U postgres --no-owner --no-privileges "$DB" | gzip -9n > "$HERE/tests/upgrade/before.sql.gz"
echo "fixture written from $FROM: tests/upgrade/before.sql.gz, tests/upgrade/before.json"
