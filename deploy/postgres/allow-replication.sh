#!/bin/sh
# Run once by the postgres image when it creates the database (mounted into
# /docker-entrypoint-initdb.d/ by docker-compose.yml): lets the portal's user
# connect for streaming replication from the compose network, with its password,
# so that the `postgres-replica` service can copy and follow the primary.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
