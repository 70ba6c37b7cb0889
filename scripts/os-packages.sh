#!/usr/bin/env bash
# Install the OS packages the test suite needs when they are missing (as root, on Debian):
# PostgreSQL, Maven and a JDK 17 only when absent, Chromium and its driver, fonts, gettext, curl,
# unzip, python3-venv, and nginx and wrk for the production rehearsal (`make production`, `make load`,
# `make lighthouse`).
# `make test` and `.ci/run` call it; run as another user it only says what lacks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

package_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

java_major() {
    command -v javac >/dev/null || return 1
    javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'
}

apt_install() {
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@"
}

main() {
    command -v dpkg-query >/dev/null || { say "Not a Debian system: install the packages listed in README.md"; return 0; }
    local wanted=(ca-certificates curl unzip make gettext python3 python3-venv
        chromium chromium-driver fonts-dejavu-core nginx wrk)
    local missing=() package
    for package in "${wanted[@]}"; do
        package_installed "$package" || missing+=("$package")
    done
    # Only when absent: a machine may bring its own PostgreSQL, Maven or JDK.
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    command -v mvn >/dev/null || missing+=(maven)
    local needs_jdk=false major
    major="$(java_major || true)"
    ((${major:-0} >= 17)) || needs_jdk=true

    if ((${#missing[@]} == 0)) && ! $needs_jdk; then
        say "Every OS package the suite needs is installed"
        return 0
    fi
    if ((EUID != 0)); then
        say "Missing OS packages: ${missing[*]}$($needs_jdk && echo ' and a JDK 17')"
        die "run this as root once (sudo scripts/os-packages.sh), or install them yourself"
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -q
    if $needs_jdk; then
        # JDK 17 where the release has it, else the release's default JDK (newer, also fine).
        if apt-cache show openjdk-17-jdk-headless >/dev/null 2>&1; then
            missing+=(openjdk-17-jdk-headless)
        else
            missing+=(default-jdk-headless)
        fi
    fi
    say "Installing: ${missing[*]}"
    apt_install "${missing[@]}"
}

with_cache_lock apt main
