#!/bin/sh
# Clone the shared 1 M-case database, migrate the clone to this branch, EXPLAIN the lists, drop it.
# Run from the worktree: sh benchmarks/plans_1m.sh  (the source database is only read: it is the
# template of the clone).
set -e
SRC=${SRC:-lotse_bench1m}
DST=${DST:-lotse_plans_1m}
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1"
until $PSQL -c "create database $DST template $SRC" postgres; do sleep 10; done
export DATABASE_URL=postgresql://postgres@127.0.0.1/$DST
uptime
/usr/bin/time -f "migrate: %e s" .venv/bin/lotse migrate
$PSQL -c "vacuum analyze cases_case" -c "vacuum analyze cases_caseclock" -c "analyze cases_authoritycompany" "$DST"
uptime
.venv/bin/python benchmarks/explain_lists.py
uptime
.venv/bin/python benchmarks/explain_lists.py -v
