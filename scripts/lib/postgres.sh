# shellcheck shell=bash
# A throwaway PostgreSQL server for tests and benchmarks: Debian's own PostgreSQL, run as a
# non-root user, listening on loopback only, with its data in a temporary directory that
# huddle_postgres_stop removes. Source common.sh first.
#
#   huddle_postgres_start   start one (unless HUDDLE_TEST_POSTGRES_URL is already set) and
#                           export HUDDLE_TEST_POSTGRES_URL=postgres://huddle@127.0.0.1:PORT/postgres
#   huddle_postgres_stop    stop it and delete its data

# The Debian package that brings the server; scripts/test installs it in its system step.
# shellcheck disable=SC2034  # used by the scripts that source this file
HUDDLE_POSTGRES_DEBS=(postgresql)

HUDDLE_POSTGRES_DIR=""
HUDDLE_POSTGRES_USER=""

# The newest installed server's bin directory (initdb, pg_ctl), or nothing.
huddle_postgres_bin() {
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

# Runs a command as the server's (non-root) user.
huddle_postgres_as_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$HUDDLE_POSTGRES_USER" -- "$@"
    else
        "$@"
    fi
}

huddle_postgres_start() {
    if [[ -n ${HUDDLE_TEST_POSTGRES_URL:-} ]]; then
        huddle_say "using the PostgreSQL server at HUDDLE_TEST_POSTGRES_URL"
        return 0
    fi
    local bin
    bin=$(huddle_postgres_bin)
    [[ -n $bin ]] || huddle_die "PostgreSQL is not installed (run: scripts/test --only system)"
    # PostgreSQL refuses to run as root; Debian's package creates the postgres user.
    if [[ $(id -u) -eq 0 ]]; then
        HUDDLE_POSTGRES_USER=postgres
        id -u "$HUDDLE_POSTGRES_USER" >/dev/null 2>&1 || huddle_die "the postgres user is missing"
    else
        HUDDLE_POSTGRES_USER=$(id -un)
    fi
    HUDDLE_POSTGRES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/huddle-postgres.XXXXXX")
    chmod 700 "$HUDDLE_POSTGRES_DIR"
    [[ $(id -u) -ne 0 ]] || chown "$HUDDLE_POSTGRES_USER" "$HUDDLE_POSTGRES_DIR"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local log="$HUDDLE_POSTGRES_DIR/server.log"
    huddle_postgres_as_user "$bin/initdb" --pgdata="$HUDDLE_POSTGRES_DIR/data" --username=huddle \
        --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$HUDDLE_POSTGRES_DIR/initdb.log" 2>&1 ||
        { cat "$HUDDLE_POSTGRES_DIR/initdb.log" >&2; huddle_die "initdb failed"; }
    # Loopback only, the socket inside the throwaway directory, room for many test databases.
    if ! huddle_postgres_as_user "$bin/pg_ctl" --pgdata="$HUDDLE_POSTGRES_DIR/data" --log="$log" --wait \
        --timeout=60 --options="-c listen_addresses=127.0.0.1 -p $port \
-c unix_socket_directories=$HUDDLE_POSTGRES_DIR -c max_connections=300" start >/dev/null; then
        cat "$log" >&2
        huddle_die "PostgreSQL did not start"
    fi
    export HUDDLE_TEST_POSTGRES_URL="postgres://huddle@127.0.0.1:$port/postgres"
    huddle_say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $HUDDLE_POSTGRES_DIR)"
}

huddle_postgres_stop() {
    [[ -n $HUDDLE_POSTGRES_DIR ]] || return 0
    local bin
    bin=$(huddle_postgres_bin)
    huddle_postgres_as_user "$bin/pg_ctl" --pgdata="$HUDDLE_POSTGRES_DIR/data" --mode=immediate stop \
        >/dev/null 2>&1 || true
    rm -rf "$HUDDLE_POSTGRES_DIR"
    HUDDLE_POSTGRES_DIR=""
}
