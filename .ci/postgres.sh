#!/bin/sh
# Starts a local PostgreSQL with an "openfront" role and database for the
# store tests, idempotently, on a Debian machine (run as root). Source it:
#
#	. .ci/postgres.sh
#
# It exports OPENFRONT_TEST_POSTGRES and prints the export line. The setup
# runs in a subshell so that its shell options do not leak into the caller.

if ! (
	set -eu

	if ! command -v pg_ctlcluster >/dev/null 2>&1; then
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
	fi

	# The newest installed major version, with its default cluster "main".
	pg_version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
	if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$pg_version main"; then
		pg_createcluster "$pg_version" main
	fi
	# Exits non-zero when the cluster already runs; readiness is checked below.
	pg_ctlcluster "$pg_version" main start >/dev/null 2>&1 || true
	i=0
	until su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"; do
		i=$((i + 1))
		if [ "$i" -ge 30 ]; then
			echo "postgres.sh: PostgreSQL did not become ready" >&2
			exit 1
		fi
		sleep 1
	done

	if [ "$(su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'openfront'\"")" != 1 ]; then
		su postgres -c "psql -q -c \"CREATE ROLE openfront LOGIN SUPERUSER PASSWORD 'openfront'\""
	fi
	if [ "$(su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'openfront'\"")" != 1 ]; then
		su postgres -c "createdb -O openfront openfront"
	fi
); then
	echo "postgres.sh: setup failed" >&2
	return 1 2>/dev/null || exit 1
fi

OPENFRONT_TEST_POSTGRES='postgres://openfront:openfront@127.0.0.1:5432/openfront?sslmode=disable'
export OPENFRONT_TEST_POSTGRES
echo "export OPENFRONT_TEST_POSTGRES='$OPENFRONT_TEST_POSTGRES'"
