#!/usr/bin/env bash
# Edge benchmark: cache hits of 1 KiB and 1 MiB objects, keep-alive, through
# the openfront edge, nginx (proxy_cache) and Varnish in front of one origin,
# and a plain Go server answering from memory as the ceiling (twice: with
# the origin's headers, and with the headers an edge adds to a hit). Then
# bench/large.sh: a 100 MiB object, a cold range, a working set larger than
# memory. Everything runs in this one invocation on 127.0.0.1, so the
# ratios are comparable even on a noisy machine.
#
# Usage: bench/run.sh   (from the repository root; needs Go, and root or
# sudo to install nginx, varnish, wrk and curl when they are missing)
#
# Environment: DURATION (s per measured case, default 10), WARMUP (s, 3),
# THREADS (wrk -t, 2), CONNS (wrk -c, 32), ROUNDS (default 2; the servers
# take turns in every round and the best round of each case is reported,
# the one least disturbed by whatever else the machine was doing), PIN
# (default 1 with two CPUs or more: every server runs on CPU 0 and wrk on
# CPU 1, so that the load generator does not compete with the server under
# test and each server gets the same one core; 0 shares all CPUs), LARGE
# (default 1; 0 skips bench/large.sh, whose own knobs are in its header),
# OPENFRONT_BASE (an openfront binary of another commit, e.g. main's: it is
# run as server "base" beside this tree's build, in the same rounds, and
# the report adds openfront/base), CEILING_SENDFILE (1 adds ceiling_sf,
# the ceiling sending its bodies from a memfd with sendfile).
#
# Besides requests/s, each case reports the CPU time per request of the
# server (user + system of its processes, from /proc) and of wrk, in
# microseconds: what each side spends, which a busy machine disturbs far
# less than the rate. At 1 MiB wrk spends more per response than any
# server (its 8 KiB reads: about 130 read and 130 ioctl calls per
# response), so it sets the rate (bench/README.md, "The 1 MiB hit").
set -euo pipefail

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-2}
LARGE=${LARGE:-1}
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
OBJECTS=(1k 1m)
SERVERS=(ceiling ceiling_cf openfront nginx varnish)
OPENFRONT_BASE=${OPENFRONT_BASE:-}
if [ -n "$OPENFRONT_BASE" ]; then
	OPENFRONT_BASE=$(realpath "$OPENFRONT_BASE")
	SERVERS=(ceiling ceiling_cf openfront base nginx varnish)
fi
if [ "${CEILING_SENDFILE:-0}" = 1 ]; then
	SERVERS=(ceiling_sf "${SERVERS[@]}")
fi

cd "$(dirname "$0")/.."

# --- tools -----------------------------------------------------------------

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] || need+=(varnish)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
	echo "installing ${need[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
	# The packages start system services; this benchmark runs its own.
	$sudo systemctl stop nginx varnish 2>/dev/null || true
fi
PATH=$PATH:/usr/sbin

# --- processes -------------------------------------------------------------

# srv runs a server on CPU 0 and load runs wrk on CPU 1 when PIN=1. Go
# reads the affinity mask at start, so the Go servers run with
# GOMAXPROCS=1; nginx and Varnish keep their own worker counts.
srv=()
load=()
if [ "$PIN" = 1 ]; then
	srv=(taskset -c 0)
	load=(taskset -c 1)
fi

tmp=$(mktemp -d -t openfront-bench.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# free_port prints a port nothing listens on, below the usual ephemeral
# range so that no outgoing connection takes it meanwhile.
free_port() {
	local p=$((10000 + RANDOM % 20000))
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
	echo "$p"
}

# wait_http waits until url answers.
wait_http() {
	for _ in $(seq 100); do
		curl -s -o /dev/null "$@" && return 0
		sleep 0.1
	done
	echo "no answer from $*" >&2
	exit 1
}

echo "building"
go build -o "$tmp/bin/" ./cmd/openfront ./bench/origin ./bench/ceiling ./bench/mkdist

origin_port=$(free_port)
"$tmp/bin/origin" -addr "127.0.0.1:$origin_port" 2>"$tmp/origin.log" &
pids+=($!)
ceiling_port=$(free_port)
"${srv[@]}" "$tmp/bin/ceiling" -addr "127.0.0.1:$ceiling_port" 2>"$tmp/ceiling.log" &
ceiling_pid=$!
pids+=($!)
ceiling_cf_port=$(free_port)
"${srv[@]}" "$tmp/bin/ceiling" -cloudfront-headers -addr "127.0.0.1:$ceiling_cf_port" 2>"$tmp/ceiling_cf.log" &
ceiling_cf_pid=$!
pids+=($!)
if [ "${CEILING_SENDFILE:-0}" = 1 ]; then
	ceiling_sf_port=$(free_port)
	"${srv[@]}" "$tmp/bin/ceiling" -body sendfile -addr "127.0.0.1:$ceiling_sf_port" 2>"$tmp/ceiling_sf.log" &
	ceiling_sf_pid=$!
	pids+=($!)
	wait_http "http://127.0.0.1:$ceiling_sf_port/1k"
fi
wait_http "http://127.0.0.1:$origin_port/1k"
wait_http "http://127.0.0.1:$ceiling_port/1k"
wait_http "http://127.0.0.1:$ceiling_cf_port/1k"

# openfront: control plane and embedded edge in one process.
# start_openfront NAME BINARY sets NAME_port, NAME_pid and NAME_domain.
start_openfront() {
	local name=$1 bin=$2 api edge pid d
	api=$(free_port)
	edge=$(free_port)
	"${srv[@]}" "$bin" serve --data "$tmp/$name" --api-addr "127.0.0.1:$api" \
		--edge-addr "127.0.0.1:$edge" --admin-addr "" >"$tmp/$name.out" 2>"$tmp/$name.log" &
	pid=$!
	pids+=($pid)
	for _ in $(seq 100); do [ -s "$tmp/$name/credentials" ] && break; sleep 0.1; done
	d=$("$tmp/bin/mkdist" -api "http://127.0.0.1:$api" -credentials "$tmp/$name/credentials" -origin-port "$origin_port")
	echo "$name distribution $d deployed"
	eval "${name}_port=$edge ${name}_pid=$pid ${name}_domain=$d"
}
start_openfront openfront "$tmp/bin/openfront"
[ -z "$OPENFRONT_BASE" ] || start_openfront base "$OPENFRONT_BASE"

# nginx with a disk cache (the page cache keeps it in memory), keep-alive
# to the origin, and the settings of Debian's default nginx.conf.
nginx_port=$(free_port)
mkdir -p "$tmp/nginx/cache" "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
$([ "$(id -u)" -eq 0 ] && echo "user root;")
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	proxy_cache_path $tmp/nginx/cache levels=1:2 keys_zone=bench:10m max_size=1g inactive=1d;
	upstream origin {
		server 127.0.0.1:$origin_port;
		keepalive 32;
	}
	server {
		listen 127.0.0.1:$nginx_port;
		location / {
			proxy_pass http://origin;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_cache bench;
			proxy_cache_valid 200 1d;
			add_header X-Cache \$upstream_cache_status;
		}
	}
}
EOF
"${srv[@]}" nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=($!)

# Varnish with its built-in VCL, which honours the origin's max-age.
varnish_port=$(free_port)
varnish_jail=()
[ "$(id -u)" -eq 0 ] && varnish_jail=(-j none)
"${srv[@]}" varnishd -F -a "127.0.0.1:$varnish_port" -b "127.0.0.1:$origin_port" -s malloc,256m \
	-n "$tmp/varnish" "${varnish_jail[@]}" >"$tmp/varnish.log" 2>&1 &
varnish_pid=$!
pids+=($!)

wait_http "http://127.0.0.1:$nginx_port/1k"
wait_http "http://127.0.0.1:$varnish_port/1k"

port_of() { eval echo "\$${1}_port"; }
domain_of() { eval echo "\${${1}_domain:-}"; }

# cpu_ticks prints the user + system clock ticks of server $1's process
# and its children (nginx's workers, Varnish's child), all threads.
cpu_ticks() {
	local pid ps t=0
	pid=$(eval echo "\$${1}_pid")
	ps="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
	for p in $ps; do
		# Fields 14 and 15 after the command, whose name may hold spaces.
		t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0)))
	done
	echo "$t"
}
tck=$(getconf CLK_TCK)

# --- warm-up and hit evidence ----------------------------------------------

echo
echo "hit evidence (second request of each object after a first fetch):"
hitters=(openfront nginx varnish)
[ -z "$OPENFRONT_BASE" ] || hitters=(openfront base nginx varnish)
for s in "${hitters[@]}"; do
	for o in "${OBJECTS[@]}"; do
		url="http://127.0.0.1:$(port_of "$s")/$o"
		host=()
		[ -z "$(domain_of "$s")" ] || host=(-H "Host: $(domain_of "$s")")
		curl -s -o /dev/null "${host[@]}" "$url"
		hdr=$(curl -s -o /dev/null -D - "${host[@]}" "$url")
		ev=$(printf '%s\n' "$hdr" | tr -d '\r' | grep -iE '^(x-cache|age|x-varnish|content-length):' | tr '\n' ' ')
		printf '  %-9s /%-3s %s\n' "$s" "$o" "$ev"
	done
done

# --- load ------------------------------------------------------------------

# alive fails loudly when one of the servers has exited.
alive() {
	for p in "${pids[@]}"; do
		if ! kill -0 "$p" 2>/dev/null; then
			echo "a server (pid $p) has exited; logs:" >&2
			tail -n 20 "$tmp"/*.log "$tmp"/nginx/logs/error.log >&2 || true
			exit 1
		fi
	done
}

# run_wrk prints "req/s p99_ms cpu_us wrk_us" for one case: the CPU time
# per request of the server and of wrk.
run_wrk() {
	local s=$1 o=$2 d=$3 url c0 out
	url="http://127.0.0.1:$(port_of "$s")/$o"
	local args=(-t"$THREADS" -c"$CONNS" -d"${d}s" --latency)
	if [ -n "$(domain_of "$s")" ]; then args+=(-H "Host: $(domain_of "$s")"); fi
	alive
	c0=$(cpu_ticks "$s")
	# times, in the command substitution's shell, adds wrk's user and
	# system time (its last line, the children's).
	out=$("${load[@]}" wrk "${args[@]}" "$url"; times)
	printf '%s\n' "$out" | awk -v ticks=$(($(cpu_ticks "$s") - c0)) -v tck="$tck" '
		/ requests in / { n = $1 }
		/^ +99%/ {
			v = $2
			if (v ~ /us$/) { sub(/us$/, "", v); p99 = v / 1000 }
			else if (v ~ /ms$/) { sub(/ms$/, "", v); p99 = v }
			else if (v ~ /s$/) { sub(/s$/, "", v); p99 = v * 1000 }
		}
		/^Non-2xx/ { bad = 1 }
		/^Requests\/sec:/ { rps = $2 }
		/^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$/ { wrk = secs($1) + secs($2) }
		function secs(t) { split(t, a, /[ms]/); return a[1] * 60 + a[2] }
		END {
			if (bad) rps = 0
			printf "%.0f %.2f %.0f %.0f\n", rps, p99, (n > 0 ? ticks / tck * 1e6 / n : 0), (n > 0 ? wrk * 1e6 / n : 0)
		}'
}

echo
echo "warming up (${WARMUP}s per case)"
for o in "${OBJECTS[@]}"; do
	for s in "${SERVERS[@]}"; do run_wrk "$s" "$o" "$WARMUP" >/dev/null; done
done

declare -A best_rps best_p99 best_cpu best_wrk
echo "measuring: $ROUNDS round(s) of ${DURATION}s per case, wrk -t$THREADS -c$CONNS, keep-alive"
for r in $(seq "$ROUNDS"); do
	for o in "${OBJECTS[@]}"; do
		for s in "${SERVERS[@]}"; do
			read -r rps p99 cpu wrk < <(run_wrk "$s" "$o" "$DURATION")
			printf '  round %d  %-10s /%-3s %9s req/s  p99 %7s ms  cpu us/req: server %5s wrk %5s\n' \
				"$r" "$s" "$o" "$rps" "$p99" "$cpu" "$wrk"
			k="$s/$o"
			if [ -z "${best_rps[$k]:-}" ] || [ "$rps" -gt "${best_rps[$k]}" ]; then
				best_rps[$k]=$rps
				best_p99[$k]=$p99
			fi
			# The least CPU of the rounds: a busy machine only adds.
			if [ -z "${best_cpu[$k]:-}" ] || [ "$cpu" -lt "${best_cpu[$k]}" ]; then
				best_cpu[$k]=$cpu
			fi
			if [ -z "${best_wrk[$k]:-}" ] || [ "$wrk" -lt "${best_wrk[$k]}" ]; then
				best_wrk[$k]=$wrk
			fi
		done
	done
done

# --- report ----------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
if [ "$PIN" = 1 ]; then
	echo "results (req/s: the best of $ROUNDS rounds, CPU: the lowest; each server on CPU 0, wrk on CPU 1)"
else
	echo "results (req/s: the best of $ROUNDS rounds, CPU: the lowest; $(nproc) CPUs shared by wrk and the server)"
fi
printf '%-10s %-6s %12s %10s %18s %15s\n' server object "req/s" "p99 ms" "server cpu us/req" "wrk cpu us/req"
for o in "${OBJECTS[@]}"; do
	for s in "${SERVERS[@]}"; do
		printf '%-10s %-6s %12s %10s %18s %15s\n' "$s" "/$o" "${best_rps[$s/$o]}" "${best_p99[$s/$o]}" "${best_cpu[$s/$o]}" "${best_wrk[$s/$o]}"
	done
done
echo
# ceiling_cf sends the same headers as openfront's hit: what net/http
# costs for CloudFront's header set, before any cache work.
printf '%-6s %16s %18s %18s %21s\n' object "openfront/nginx" "openfront/varnish" "openfront/ceiling" "openfront/ceiling_cf"
for o in "${OBJECTS[@]}"; do
	of=${best_rps[openfront/$o]}
	printf '%-6s %16s %18s %18s %21s\n' "/$o" "$(ratio "$of" "${best_rps[nginx/$o]}")" \
		"$(ratio "$of" "${best_rps[varnish/$o]}")" "$(ratio "$of" "${best_rps[ceiling/$o]}")" \
		"$(ratio "$of" "${best_rps[ceiling_cf/$o]}")"
done
if [ -n "$OPENFRONT_BASE" ]; then
	echo
	printf '%-6s %16s %26s\n' object "openfront/base" "cpu per request, base/openfront"
	for o in "${OBJECTS[@]}"; do
		printf '%-6s %16s %26s\n' "/$o" "$(ratio "${best_rps[openfront/$o]}" "${best_rps[base/$o]}")" \
			"$(ratio "${best_cpu[base/$o]}" "${best_cpu[openfront/$o]}")"
	done
fi
echo "openfront peak RSS during the hit cases: $(awk '/^VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$openfront_pid/status" 2>/dev/null || echo -) (budget: the default --cache-size, 256 MiB)"

if [ "$LARGE" = 1 ]; then
	# The hit servers stop first: large.sh starts its own.
	cleanup
	trap - EXIT
	echo
	PIN=$PIN bench/large.sh
fi
