#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the Release binary at
# build/strata, and in a fresh data directory runs examples/quickstart.dos, then the SQL
# walk-through: examples/quickstart.sql, a snapshot of one partition and a restore from it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
scripts/build.sh release
rm -rf build/quickstart-data
build/strata run --data build/quickstart-data examples/quickstart.dos
sql=(build/strata sql --data build/quickstart-data --user admin --password 123456)
"${sql[@]}" examples/quickstart.sql
rm -rf build/quickstart-repo
"${sql[@]}" -e "CREATE REPOSITORY quickstart_repo WITH LOCAL ON LOCATION
  'file://$PWD/build/quickstart-repo'"
# BACKUP SNAPSHOT is asynchronous: the statement returns once its job is queued, and strata sql
# waits for the job before it exits; the next run sees the snapshot.
"${sql[@]}" -e "BACKUP SNAPSHOT shop.s1 TO quickstart_repo ON (sales PARTITION (p2021))"
"${sql[@]}" -e "SHOW BACKUP FROM shop; SHOW SNAPSHOT ON quickstart_repo"
timestamp=$("${sql[@]}" --format json -e "SHOW SNAPSHOT ON quickstart_repo" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["rows"][0][1])')
"${sql[@]}" -e "DROP TABLE shop.sales;
  RESTORE SNAPSHOT shop.s1 FROM quickstart_repo PROPERTIES ('backup_timestamp' = '$timestamp')"
"${sql[@]}" -e "SHOW RESTORE FROM shop; SELECT * FROM shop.sales ORDER BY day"
