#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests, benchmarks and CI, from Debian's packages.
#   scripts/postgres.sh start DIR [postgres -c options…]   prints the cluster's URL
#   scripts/postgres.sh stop DIR
# initdb and pg_ctl refuse to run as root, so they run as the `postgres` user; the cluster listens
# on 127.0.0.1 only, on a port found free, and trusts local connections (a test cluster only).
set -euo pipefail

bindir="${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [[ ! -x "$bindir/initdb" ]]; then
  echo "postgres.sh: PostgreSQL's initdb was not found (apt-get install postgresql)" >&2
  exit 1
fi
action="${1:?usage: postgres.sh start|stop DIR}"
dir="${2:?usage: postgres.sh start|stop DIR}"
shift 2

as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$dir"
    as_postgres "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
    options="-h 127.0.0.1 -p $port -k $dir -c max_connections=400"
    for option in "$@"; do options+=" -c $option"; done
    as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 60 start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [[ -d "$dir/data" ]] && as_postgres "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    rm -rf "$dir"
    ;;
  *)
    echo "postgres.sh: unknown action $action (start or stop)" >&2
    exit 1
    ;;
esac
