#!/usr/bin/env bash
# Claims per second one MariaDB sustains: starts a private mariadbd (own data folder and port), runs bench/ClaimsBench
# with 1, 4, 16 and 64 concurrent claimers, prints a Markdown table, and stops the server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=$(mktemp -d /tmp/vexaa-claims-XXXX); chown mysql:mysql "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'mariadb-admin --socket="$dir/sock" -u root shutdown >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
mariadb-install-db --user=mysql --datadir="$dir/data" --auth-root-authentication-method=socket --skip-test-db >/dev/null
/usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$dir/data" --socket="$dir/sock" --port="$port" --bind-address=127.0.0.1 \
  --innodb-buffer-pool-size=256M --max-connections=500 --skip-name-resolve >"$dir/log" 2>&1 &
until mariadb-admin --socket="$dir/sock" -u root ping >/dev/null 2>&1; do sleep 0.2; done
mariadb --socket="$dir/sock" -u root -e "CREATE DATABASE claims; CREATE USER 'b'@'127.0.0.1' IDENTIFIED BY 'b'; GRANT ALL ON claims.* TO 'b'@'127.0.0.1';"
echo "MariaDB $(mariadbd --version | awk '{print $3}'), innodb_flush_log_at_trx_commit=1 (durable), $(nproc) cores shared with the claimers"
dotnet run --project bench/ClaimsBench -c Release -- "Server=127.0.0.1;Port=$port;User ID=b;Password=b;Database=claims;Maximum Pool Size=200" "${CLAIMS_JOBS:-4000}"
