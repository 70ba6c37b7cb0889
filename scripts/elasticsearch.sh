#!/usr/bin/env bash
# A throwaway Elasticsearch for tests, development and the production rehearsal: one node, or a
# cluster of SHOWCASE_ES_NODES nodes on loopback.
#
#   scripts/elasticsearch.sh start             start it (or resume a stopped one, or reuse the running
#                                              one) and print ELASTICSEARCH_URL=... (every node, comma-separated)
#   scripts/elasticsearch.sh stop              stop every node and delete the data
#   scripts/elasticsearch.sh stop --keep-data  stop every node, keep the data for the next start
#   scripts/elasticsearch.sh stop-node N       stop node N only (an outage drill); start-node N brings it back
#   scripts/elasticsearch.sh status            say whether it runs (exit 3 when it does not)
#   scripts/elasticsearch.sh latest            print the newest 8.19 patch the Maven client resolves
#
# The server is Elastic's integ-test-zip distribution, fetched with the Maven client into the local Maven
# repository and unpacked into a cache directory outside the clone. It has no bundled JDK (the machine's
# JDK 17 runs it) and none of the analysis-common module: no asciifolding, elision, stemmer, edge_ngram or ngram,
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
ES_NODES="${SHOWCASE_ES_NODES:-1}"
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

# The state file names the cluster directory; each node lives in node-N/ under it with its own
# configuration, data, logs and fixed ports, so it can be stopped and started again alone.
load_state() {
    ELASTICSEARCH_URL="" ES_CLUSTER_DIR="" ES_NODE_COUNT=""
    [[ -f "$STATE_FILE" ]] || return 1
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    [[ -n "$ES_CLUSTER_DIR" && -d "$ES_CLUSTER_DIR" ]]
}

node_dir() { echo "$ES_CLUSTER_DIR/node-$1"; }
node_pid() { cat "$(node_dir "$1")/elasticsearch.pid" 2>/dev/null || true; }
node_url() { sed -n 's/^ES_NODE_URL=//p' "$(node_dir "$1")/node.env"; }

running_url() {
    load_state || return 1
    local node
    for node in $(seq 1 "$ES_NODE_COUNT"); do
        pid_alive "$(node_pid "$node")" || return 1
    done
    curl -fsS -m 5 "$(node_url 1)/_cluster/health" >/dev/null 2>&1 || return 1
    echo "$ELASTICSEARCH_URL"
}

# Configure node N of a new cluster: fixed loopback ports, so a node restarted alone rejoins.
configure_node() {
    local node="$1" name="$2" seeds="$3" masters="$4" http_port="$5" transport_port="$6"
    local dir
    dir="$(node_dir "$node")"
    mkdir -p "$dir"/{config,data,logs,tmp}
    cp -r "$ES_HOME/config/." "$dir/config/"
    {
        echo "cluster.name: $name"
        echo "node.name: node-$node"
        echo "path.data: $dir/data"
        echo "path.logs: $dir/logs"
        echo "network.host: 127.0.0.1"
        echo "http.port: $http_port"
        echo "transport.port: $transport_port"
        echo "node.portsfile: true"
        if ((ES_NODE_COUNT == 1)); then
            echo "discovery.type: single-node"
        else
            echo "discovery.seed_hosts: [$seeds]"
            echo "cluster.initial_master_nodes: [$masters]"
        fi
        echo "xpack.security.enabled: false"
        echo "# A shared machine's disk can be nearly full; the test cluster must not turn read-only."
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
    } >"$dir/config/elasticsearch.yml"
    echo "ES_NODE_URL=http://127.0.0.1:$http_port" >"$dir/node.env"
}

# Launch node N in the background (its data and configuration already in place).
launch_node() {
    local node="$1" dir
    dir="$(node_dir "$node")"
    rm -f "$dir/elasticsearch.pid"
    [[ $EUID -eq 0 ]] && chown -R "$ES_USER:" "$dir"
    (cd "$dir" && run_as_es_user env ES_JAVA_HOME="$JAVA_HOME_FOR_ES" ES_PATH_CONF="$dir/config" \
        ES_TMPDIR="$dir/tmp" CLI_JAVA_OPTS="-Djava.io.tmpdir=$dir/tmp -XX:-UsePerfData" \
        ES_JAVA_OPTS="$ES_JVM_OPTS -XX:HeapDumpPath=$dir/logs -XX:-UsePerfData" \
        timeout "$ES_START_TIMEOUT" "$ES_HOME/bin/elasticsearch" -d -p "$dir/elasticsearch.pid" \
        >"$dir/logs/launcher.out" 2>&1)
}

# Launch the given nodes together (a cluster forms only once enough of them run), then wait until
# the cluster counts every node and is yellow or green.
launch_and_wait() {
    local started=$SECONDS node failed=0
    local -a launchers=()
    for node in "$@"; do
        launch_node "$node" &
        launchers+=("$!")
    done
    for node in "${launchers[@]}"; do
        wait "$node" || failed=1
    done
    local url deadline=$((SECONDS + ES_START_TIMEOUT))
    url="$(node_url "$1")"
    while ((failed == 0 && SECONDS < deadline)); do
        if curl -fsS -m 10 "$url/_cluster/health?wait_for_status=yellow&wait_for_nodes=$ES_NODE_COUNT&timeout=5s" \
            >/dev/null 2>&1; then
            say "Elasticsearch $ES_VERSION: node(s) $* up at $url ($(elapsed_since "$started"))"
            return 0
        fi
        sleep 0.5
    done
    for node in "$@"; do
        log_tail "$(node_dir "$node")"
    done
    return 1
}

start() {
    local url
    if url="$(running_url)"; then
        say "Elasticsearch already running at $url (state in $STATE_FILE)"
        echo "ELASTICSEARCH_URL=$url"
        return 0
    fi
    prepare
    if load_state; then
        # Stopped with --keep-data (or some nodes died): start the missing nodes on their data.
        local node missing=()
        for node in $(seq 1 "$ES_NODE_COUNT"); do
            pid_alive "$(node_pid "$node")" || missing+=("$node")
        done
        say "Resuming Elasticsearch in $ES_CLUSTER_DIR (node(s) ${missing[*]})..."
        launch_and_wait "${missing[@]}" || die "Elasticsearch did not start again (see the log lines above)"
        echo "ELASTICSEARCH_URL=$ELASTICSEARCH_URL"
        return 0
    fi

    ES_CLUSTER_DIR="$(mktemp -d "${TMPDIR:-/tmp}/showcase-es.XXXXXX")"
    ES_NODE_COUNT="$ES_NODES"
    local node http_ports=() transport_ports=() seeds="" masters="" urls=""
    for node in $(seq 1 "$ES_NODE_COUNT"); do
        http_ports+=("$(free_port)")
        transport_ports+=("$(free_port)")
        seeds+="${seeds:+, }\"127.0.0.1:${transport_ports[-1]}\""
        masters+="${masters:+, }node-$node"
        urls+="${urls:+,}http://127.0.0.1:${http_ports[-1]}"
    done
    for node in $(seq 1 "$ES_NODE_COUNT"); do
        configure_node "$node" "showcase-test-${ES_CLUSTER_DIR##*.}" "$seeds" "$masters" \
            "${http_ports[$((node - 1))]}" "${transport_ports[$((node - 1))]}"
    done
    [[ $EUID -eq 0 ]] && chown -R "$ES_USER:" "$ES_CLUSTER_DIR"
    write_state "$STATE_FILE" ELASTICSEARCH_URL="$urls" ES_CLUSTER_DIR="$ES_CLUSTER_DIR" \
        ES_NODE_COUNT="$ES_NODE_COUNT" ES_HOME="$ES_HOME" ES_VERSION="$ES_VERSION"
    local runner
    runner="$([[ $EUID -eq 0 ]] && echo "$ES_USER" || id -un)"
    say "Starting Elasticsearch $ES_VERSION ($ES_NODE_COUNT node(s)) as $runner in $ES_CLUSTER_DIR..."
    if ! launch_and_wait $(seq 1 "$ES_NODE_COUNT"); then
        stop >/dev/null 2>&1 || true
        die "Elasticsearch did not reach yellow health within ${ES_START_TIMEOUT}s (see the log lines above)"
    fi
    echo "ELASTICSEARCH_URL=$urls"
}

stop_nodes() {
    local node
    for node in "$@"; do
        stop_pid "$(node_pid "$node")" 30
        rm -f "$(node_dir "$node")/elasticsearch.pid"
    done
}

stop() {
    local keep_data=false
    [[ "${1:-}" == "--keep-data" ]] && keep_data=true
    if ! load_state; then
        say "Elasticsearch is not running (no $STATE_FILE)"
        rm -f "$STATE_FILE"
        return 0
    fi
    say "Stopping Elasticsearch at $ELASTICSEARCH_URL..."
    stop_nodes $(seq 1 "$ES_NODE_COUNT")
    if $keep_data; then
        say "Elasticsearch stopped; its data stays in $ES_CLUSTER_DIR for the next start"
        return 0
    fi
    [[ "$ES_CLUSTER_DIR" == "${TMPDIR:-/tmp}"/showcase-es.* ]] && rm -rf "$ES_CLUSTER_DIR"
    rm -f "$STATE_FILE"
    say "Elasticsearch stopped"
}

stop_node() {
    local node="${1:-}"
    load_state || die "Elasticsearch is not running (no $STATE_FILE)"
    [[ "$node" =~ ^[0-9]+$ ]] && ((node >= 1 && node <= ES_NODE_COUNT)) || die "no node ${node:-?}: 1 to $ES_NODE_COUNT"
    say "Stopping Elasticsearch node $node ($(node_url "$node"))..."
    stop_nodes "$node"
}

start_node() {
    local node="${1:-}"
    load_state || die "Elasticsearch is not running (no $STATE_FILE)"
    [[ "$node" =~ ^[0-9]+$ ]] && ((node >= 1 && node <= ES_NODE_COUNT)) || die "no node ${node:-?}: 1 to $ES_NODE_COUNT"
    pid_alive "$(node_pid "$node")" && { say "Node $node already runs"; return 0; }
    prepare
    launch_and_wait "$node" || die "node $node did not start again (see the log lines above)"
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
    stop) stop "${2:-}" ;;
    stop-node) stop_node "${2:-}" ;;
    start-node) start_node "${2:-}" ;;
    status) status ;;
    latest) latest ;;
    *) die "usage: $0 {start|stop [--keep-data]|stop-node N|start-node N|status|latest}" ;;
esac
