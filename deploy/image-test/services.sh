# Sourced by deploy/test-image.sh: the MariaDB and S3-compatible server the `work` containers use, started privately
# like the test suite does (tests/Vexaa.Tests/Support/MariaDbServer.cs, S3Server.cs): own folders, loopback only,
# free ports, stopped by their PIDs at the end. The containers reach them on the host network.

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

db_password=vexaa-ci-password
mariadb_start() {
  local dir="$work/mariadb"
  mkdir -p "$dir"
  chown mysql:mysql "$dir"
  mariadb-install-db --user=mysql --datadir="$dir/data" --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 \
    || { grep ERROR "$dir/install.log" | head -5; return 1; }
  db_port=$(free_port)
  /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$db_port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --innodb-buffer-pool-size=64M --skip-name-resolve \
    --innodb-flush-log-at-trx-commit=2 >"$dir/server.log" 2>&1 &
  mariadb_pid=$!
  wait_for 60 mariadb-admin --socket="$dir/mysqld.sock" -u root ping || { tail -20 "$dir/server.log"; return 1; }
  mariadb --socket="$dir/mysqld.sock" -u root -e "CREATE USER 'vexaa'@'127.0.0.1' IDENTIFIED BY '$db_password';
    CREATE DATABASE vexaa CHARACTER SET utf8mb4; GRANT ALL ON vexaa.* TO 'vexaa'@'127.0.0.1';"
}

mariadb_stop() {
  [ -n "${mariadb_pid:-}" ] || return 0
  mariadb-admin --socket="$work/mariadb/mysqld.sock" -u root shutdown >/dev/null 2>&1 || kill "$mariadb_pid" 2>/dev/null || true
  wait "$mariadb_pid" 2>/dev/null || true
  mariadb_pid=
}

s3_bucket=vexaa-ci
s3rver_start() {
  mkdir -p "$work/s3"
  s3_port=$(free_port)
  # Without the legacy provider, s3rver's paginated listings fail on current Node (as in the test suite).
  NODE_OPTIONS=--openssl-legacy-provider node "$root/tests/js/node_modules/s3rver/bin/s3rver.js" \
    -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --configure-bucket "$s3_bucket" >"$work/s3rver.log" 2>&1 &
  s3rver_pid=$!
  wait_for 30 curl -s -o /dev/null "http://127.0.0.1:$s3_port/" || { tail -20 "$work/s3rver.log"; return 1; }
}

s3rver_stop() {
  [ -n "${s3rver_pid:-}" ] || return 0
  kill "$s3rver_pid" 2>/dev/null || true
  wait "$s3rver_pid" 2>/dev/null || true
  s3rver_pid=
}

# The settings of every `serve --workers 0` and `work` container on the shared database and store.
shared_env() {
  cat <<EOF
Vexaa__Database__Provider=mysql
Vexaa__Database__ConnectionString=Server=127.0.0.1;Port=$db_port;Database=vexaa;User ID=vexaa;Password=$db_password
Vexaa__Storage__Provider=s3
Vexaa__Storage__S3__ServiceUrl=http://127.0.0.1:$s3_port
Vexaa__Storage__S3__Bucket=$s3_bucket
Vexaa__Storage__S3__AccessKey=S3RVER
Vexaa__Storage__S3__SecretKey=S3RVER
Vexaa__Storage__S3__ForcePathStyle=true
Vexaa__Storage__S3__UseChunkEncoding=false
Vexaa__Workers__PollSeconds=0.5
EOF
}
