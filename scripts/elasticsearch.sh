#!/usr/bin/env bash
# A throwaway single-node Elasticsearch for tests and development.
#
#   scripts/elasticsearch.sh start    start one (or reuse the running one) and print ELASTICSEARCH_URL=...
#   scripts/elasticsearch.sh stop     stop it and delete its data
#   scripts/elasticsearch.sh status   say whether it runs (exit 3 when it does not)
#   scripts/elasticsearch.sh latest   print the newest 8.19 patch the Maven client resolves
#
# The server is Elastic's integ-test-zip distribution, fetched with the Maven client into the local Maven
# repository and unpacked into a cache directory outside the clone. It has no bundled JDK (the machine's
# JDK 17 runs it) and none of the analysis-common module: no asciifolding, elision, stemmer or edge_ngram,
# no language analyzers. Production runs the full distribution, which has them. So this script builds a
# small plugin of ours, the analysis shim (scripts/elasticsearch/analysis-shim/), that registers those
# components under the same names and parameters, and installs it into the unpacked server: the same index
# settings then work on the test cluster and in production.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ES_VERSION="${SHOWCASE_ES_VERSION:-8.19.21}"
ES_USER="${SHOWCASE_ES_USER:-showcase-es}"
# C1-only JIT halves the start-up CPU; set SHOWCASE_ES_JAVA_OPTS without it for long benchmarks.
ES_JVM_OPTS="${SHOWCASE_ES_JAVA_OPTS:--Xms512m -Xmx1g -XX:TieredStopAtLevel=1}"
ES_START_TIMEOUT="${SHOWCASE_ES_START_TIMEOUT:-300}"
M2_REPOSITORY="${SHOWCASE_M2_REPOSITORY:-$HOME/.m2/repository}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch"
ES_ZIP="$M2_REPOSITORY/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
SHIM_SOURCE="$SHOWCASE_ROOT/scripts/elasticsearch/analysis-shim"
STATE_FILE="$SHOWCASE_STATE_DIR/elasticsearch.env"

find_java_home() {
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then
        echo "$ES_JAVA_HOME"
    elif [[ -n "${JAVA_HOME:-}" ]]; then
        echo "$JAVA_HOME"
    elif command -v java >/dev/null; then
        dirname "$(dirname "$(readlink -f "$(command -v java)")")"
    else
        die "no Java found: install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless) or set ES_JAVA_HOME"
    fi
}

JAVA_HOME_FOR_ES="$(find_java_home)"

check_java() {
    local tool
    for tool in java javac jar; do
        [[ -x "$JAVA_HOME_FOR_ES/bin/$tool" ]] ||
            die "$JAVA_HOME_FOR_ES/bin/$tool is missing: the analysis shim needs a full JDK 17 (Debian: openjdk-17-jdk-headless), or set ES_JAVA_HOME"
    done
    local major
    major="$("$JAVA_HOME_FOR_ES/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java.specification.version = //p')"
    ((${major:-0} >= 17)) || die "Elasticsearch $ES_VERSION needs Java 17 or newer; $JAVA_HOME_FOR_ES is Java ${major:-unknown}"
}

fetch_zip() {
    [[ -f "$ES_ZIP" ]] && return 0
    command -v mvn >/dev/null || die "the Maven client (mvn) is needed to fetch Elasticsearch: apt-get install maven"
    say "Fetching Elasticsearch $ES_VERSION ($ES_ARTIFACT:$ES_VERSION:zip) with Maven, about 110 MB..."
    mvn -B -q dependency:get -Dartifact="$ES_ARTIFACT:$ES_VERSION:zip" -Dtransitive=false \
        -Dmaven.repo.local="$M2_REPOSITORY" >&2 ||
        die "Maven could not fetch $ES_ARTIFACT:$ES_VERSION:zip (try: scripts/elasticsearch.sh latest)"
}

unpack_pristine() {
    local pristine="$SHOWCASE_CACHE_DIR/elasticsearch-$ES_VERSION"
    [[ -d "$pristine" ]] && return 0
    say "Unpacking Elasticsearch $ES_VERSION into $pristine..."
    local tmp
    tmp="$(mktemp -d "$SHOWCASE_CACHE_DIR/.unpack.XXXXXX")"
    unzip -q "$ES_ZIP" -d "$tmp"
    chmod -R a+rX "$tmp"
    mv "$tmp/elasticsearch-$ES_VERSION" "$pristine"
    rm -rf "$tmp"
}

shim_fingerprint() {
    {
        echo "$ES_VERSION"
        "$JAVA_HOME_FOR_ES/bin/javac" -version 2>&1
        find "$SHIM_SOURCE" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s|$SHIM_SOURCE/||"
    } | sha256sum | cut -c1-12
}

# A hard-linked copy of the pristine server with the shim installed, one per (version, shim source):
# rebuilt only when either changes, and never modified in place while another run may be using it.
build_home_with_shim() {
    local home="$1" pristine="$SHOWCASE_CACHE_DIR/elasticsearch-$ES_VERSION"
    [[ -d "$home" ]] && return 0
    unpack_pristine
    say "Building the analysis shim plugin for Elasticsearch $ES_VERSION..."
    local tmp
    tmp="$(mktemp -d "$SHOWCASE_CACHE_DIR/.build.XXXXXX")"
    cp -al "$pristine/." "$tmp/"
    local plugin="$tmp/plugins/analysis-shim" classes="$tmp/.shim-classes"
    mkdir -p "$plugin" "$classes"
    local sources=()
    mapfile -t sources < <(find "$SHIM_SOURCE/src" -name '*.java' | sort)
    "$JAVA_HOME_FOR_ES/bin/javac" --release 17 -nowarn -d "$classes" -cp "$pristine/lib/*" "${sources[@]}" >&2
    "$JAVA_HOME_FOR_ES/bin/jar" --create --file "$plugin/analysis-shim.jar" -C "$classes" .
    rm -rf "$classes"
    cat >"$plugin/plugin-descriptor.properties" <<PROPERTIES
name=analysis-shim
description=Test-cluster stand-in for the analysis-common components the POC Showcase uses
version=1.0.0
classname=showcase.analysis.AnalysisShimPlugin
java.version=17
elasticsearch.version=$ES_VERSION
PROPERTIES
    chmod -R a+rX "$tmp"
    chmod 755 "$tmp"
    mv "$tmp" "$home"
}

ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    id "$ES_USER" >/dev/null 2>&1 && return 0
    say "Creating the system user $ES_USER (Elasticsearch refuses to run as root)..."
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
}

prepare() {
    require_commands curl:curl unzip:unzip python3:python3 flock:util-linux sha256sum:coreutils
    check_java
    fetch_zip
    ES_HOME="$SHOWCASE_CACHE_DIR/elasticsearch-$ES_VERSION-shim-$(shim_fingerprint)"
    with_cache_lock "elasticsearch-$ES_VERSION" build_home_with_shim "$ES_HOME"
    with_cache_lock users ensure_user
}

run_as_es_user() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

log_tail() {
    local instance="$1" file
    for file in "$instance"/logs/launcher.out "$instance"/logs/showcase-*.log; do
        [[ -s "$file" ]] || continue
        say "----- last lines of $file -----"
        tail -n 40 "$file" >&2
    done
}

running_url() {
    [[ -f "$STATE_FILE" ]] || return 1
    local ELASTICSEARCH_URL="" ES_PID=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    pid_alive "$ES_PID" && curl -fsS -m 5 "$ELASTICSEARCH_URL/_cluster/health" >/dev/null 2>&1 || return 1
    echo "$ELASTICSEARCH_URL"
}

start() {
    local url
    if url="$(running_url)"; then
        say "Elasticsearch already running at $url (state in $STATE_FILE)"
        echo "ELASTICSEARCH_URL=$url"
        return 0
    fi
    [[ -f "$STATE_FILE" ]] && stop >/dev/null 2>&1
    local started=$SECONDS
    prepare

    local instance
    instance="$(mktemp -d "${TMPDIR:-/tmp}/showcase-es.XXXXXX")"
    mkdir -p "$instance"/{config,data,logs,tmp}
    cp -r "$ES_HOME/config/." "$instance/config/"
    local http_port transport_port
    http_port="$(free_port)"
    transport_port="$(free_port)"
    cat >"$instance/config/elasticsearch.yml" <<YAML
cluster.name: showcase-test-${instance##*.}
node.name: showcase-test
path.data: $instance/data
path.logs: $instance/logs
network.host: 127.0.0.1
http.port: $http_port-$((http_port + 20 > 65535 ? 65535 : http_port + 20))
transport.port: $transport_port-$((transport_port + 20 > 65535 ? 65535 : transport_port + 20))
node.portsfile: true
discovery.type: single-node
xpack.security.enabled: false
# A shared machine's disk can be nearly full; the test cluster must not turn read-only over it.
cluster.routing.allocation.disk.threshold_enabled: false
YAML
    [[ $EUID -eq 0 ]] && chown -R "$ES_USER:" "$instance"

    local runner
    runner="$([[ $EUID -eq 0 ]] && echo "$ES_USER" || id -un)"
    say "Starting Elasticsearch $ES_VERSION as $runner in $instance..."
    local pid_file="$instance/elasticsearch.pid" launched=0
    (cd "$instance" && run_as_es_user env ES_JAVA_HOME="$JAVA_HOME_FOR_ES" ES_PATH_CONF="$instance/config" \
        ES_TMPDIR="$instance/tmp" CLI_JAVA_OPTS="-Djava.io.tmpdir=$instance/tmp -XX:-UsePerfData" \
        ES_JAVA_OPTS="$ES_JVM_OPTS -XX:HeapDumpPath=$instance/logs -XX:-UsePerfData" \
        timeout "$ES_START_TIMEOUT" "$ES_HOME/bin/elasticsearch" -d -p "$pid_file" \
        >"$instance/logs/launcher.out" 2>&1) || launched=$?
    if ((launched != 0)); then
        log_tail "$instance"
        [[ -f "$pid_file" ]] && stop_pid "$(cat "$pid_file")" 10
        rm -rf "$instance"
        ((launched == 124)) && die "Elasticsearch did not start within ${ES_START_TIMEOUT}s"
        die "Elasticsearch did not start (see the log lines above)"
    fi

    local pid port="" url deadline=$((SECONDS + ES_START_TIMEOUT))
    pid="$(cat "$pid_file")"
    while [[ -z "$port" ]] && ((SECONDS < deadline)) && pid_alive "$pid"; do
        port="$(sed -n 's/.*:\([0-9][0-9]*\)$/\1/p' "$instance/logs/http.ports" 2>/dev/null | head -n 1)"
        [[ -n "$port" ]] || sleep 0.2
    done
    url="http://127.0.0.1:${port:-0}"
    while ((SECONDS < deadline)) && pid_alive "$pid"; do
        if curl -fsS -m 10 "$url/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1; then
            write_state "$STATE_FILE" ELASTICSEARCH_URL="$url" ES_PID="$pid" ES_INSTANCE_DIR="$instance" \
                ES_HOME="$ES_HOME" ES_VERSION="$ES_VERSION"
            say "Elasticsearch $ES_VERSION is up at $url (pid $pid, $(elapsed_since "$started"))"
            echo "ELASTICSEARCH_URL=$url"
            return 0
        fi
        sleep 0.5
    done
    log_tail "$instance"
    stop_pid "$pid" 10
    rm -rf "$instance"
    die "Elasticsearch did not reach yellow health within ${ES_START_TIMEOUT}s (see the log lines above)"
}

stop() {
    if [[ ! -f "$STATE_FILE" ]]; then
        say "Elasticsearch is not running (no $STATE_FILE)"
        return 0
    fi
    local ES_PID="" ES_INSTANCE_DIR="" ELASTICSEARCH_URL=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    say "Stopping Elasticsearch at $ELASTICSEARCH_URL (pid $ES_PID)..."
    stop_pid "$ES_PID" 30
    [[ "$ES_INSTANCE_DIR" == "${TMPDIR:-/tmp}"/showcase-es.* ]] && rm -rf "$ES_INSTANCE_DIR"
    rm -f "$STATE_FILE"
    say "Elasticsearch stopped"
}

status() {
    local url
    if url="$(running_url)"; then
        say "Elasticsearch is running at $url"
        echo "ELASTICSEARCH_URL=$url"
    else
        say "Elasticsearch is not running"
        return 3
    fi
}

# Resolving a version range needs a project: dependency:get refuses ranges.
latest() {
    command -v mvn >/dev/null || die "the Maven client (mvn) is needed: apt-get install maven"
    local tmp
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.showcase</groupId>
  <artifactId>elasticsearch-version-probe</artifactId>
  <version>0</version>
  <dependencies>
    <dependency>
      <groupId>org.elasticsearch.distribution.integ-test-zip</groupId>
      <artifactId>elasticsearch</artifactId>
      <version>[8.19.0,8.20.0)</version>
      <type>zip</type>
    </dependency>
  </dependencies>
</project>
POM
    say "Resolving $ES_ARTIFACT:[8.19.0,8.20.0):zip with Maven (downloads the newest zip)..."
    (cd "$tmp" && mvn -B -ntp -Dstyle.color=never dependency:resolve -Dmaven.repo.local="$M2_REPOSITORY") |
        sed -n 's/.*integ-test-zip:elasticsearch:zip:\([0-9.]*\).*/\1/p' | head -n 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    latest) latest ;;
    *) die "usage: $0 {start|stop|status|latest}" ;;
esac
