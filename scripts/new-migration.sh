#!/usr/bin/env bash
# Writes a migration for the change to prisma/schema.prisma since the last commit:
#   scripts/new-migration.sh add_ledger_index
# `prisma migrate dev` does not work with the driver adapter (see docs/database.md), so the SQL
# is a pure diff of the committed schema against the working one.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/new-migration.sh <name>}
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
old=$(mktemp --suffix=.prisma)
git show HEAD:prisma/schema.prisma > "$old"
mkdir -p "$dir"
DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} npx prisma migrate diff \
  --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
