#!/bin/sh
# Run once by the postgres image when it initialises its data directory
# (deploy/compose.ha.yml): a role and a database for each service, the role's
# password from the file postgres-secrets made. The services make their own
# tables on start.
set -eu
for s in registry tasks indicators notify web; do
  password=$(cat "/auth/postgres/$s.password")
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres <<SQL
CREATE ROLE uplift_$s LOGIN PASSWORD '$password';
CREATE DATABASE uplift_$s OWNER uplift_$s;
REVOKE ALL ON DATABASE uplift_$s FROM PUBLIC;
SQL
done
