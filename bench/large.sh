#!/usr/bin/env bash
# Large objects and a working set larger than memory, through the openfront
# edge, nginx and Varnish in front of one origin (bench/origin), in one run
# on 127.0.0.1. bench/run.sh calls it after the hit cases; it also runs
# alone. See bench/README.md for the cases and the knobs.
set -euo pipefail

MIB=$((1 << 20))
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
CONNS_LARGE=${CONNS_LARGE:-4}            # connections of the 100 MiB hot throughput
LARGE_DURATION=${LARGE_DURATION:-8}      # s of hot 100 MiB throughput per server
LARGE_MEM=${LARGE_MEM:-$((512 * MIB))}   # memory budget of the large-object phase
RATE=${RATE:-$((100 * MIB))}             # origin body rate of the cold 100 MiB fetch, bytes/s
WS_MEM=${WS_MEM:-$((256 * MIB))}         # memory budget of the working-set phase
WS_FACTOR=${WS_FACTOR:-3}                # working set = WS_FACTOR x WS_MEM
WS_OBJECT=${WS_OBJECT:-$MIB}             # size of each working-set object
WS_ZIPF=${WS_ZIPF:-0.8}                  # zipf exponent of the accesses; 0 = uniform
WS_WARMUP=${WS_WARMUP:-12}               # s of the in-order sweep before the measured window
WS_DURATION=${WS_DURATION:-15}           # s of the measured window per server
WS_CONNS=${WS_CONNS:-16}                 # wrk -c of the working-set load
RANGE_N=${RANGE_N:-7}                    # cold objects of the cold range case (one sample swings 5x)

cd "$(dirname "$0")/.."
PATH=$PATH:/usr/sbin
for t in nginx varnishd wrk curl; do
	command -v "$t" >/dev/null || { echo "large.sh: $t is missing (bench/run.sh installs it)" >&2; exit 1; }
done

srv=()
load=()
if [ "$PIN" = 1 ]; then
	srv=(taskset -c 0)
	load=(taskset -c 1)
fi

tmp=$(mktemp -d -t openfront-large.XXXXXX)
chmod 755 "$tmp"
pids=()
stop_all() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}
trap 'stop_all; rm -rf "$tmp"' EXIT

free_port() {
	local p=$((10000 + RANDOM % 20000))
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
	echo "$p"
}
wait_http() {
	for _ in $(seq 150); do
		curl -s -o /dev/null "$@" && return 0
		sleep 0.1
	done
	echo "no answer from $*" >&2
	exit 1
}
mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "large: building"
go build -o "$tmp/bin/" ./cmd/openfront ./bench/origin ./bench/mkdist ./bench/ttfb

origin_port=$(free_port)
"$tmp/bin/origin" -addr "127.0.0.1:$origin_port" -rate "$RATE" -ws-size "$WS_OBJECT" 2>"$tmp/origin.log" &
origin_pid=$!
trap 'stop_all; kill $origin_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
wait_http "http://127.0.0.1:$origin_port/1k"

# origin_stat prints the origin's counter NAME (requests, bytes).
origin_stat() { curl -s "http://127.0.0.1:$origin_port/_stats" | awk -v k="$1" '$1 == k { print $2 }'; }

# origin_settled prints the origin's byte counter once it has stopped
# moving for a second: caches go on fetching after they have answered.
origin_settled() {
	local a b
	a=$(origin_stat bytes)
	for _ in $(seq 60); do
		sleep 1
		b=$(origin_stat bytes)
		[ "$a" = "$b" ] && break
		a=$b
	done
	echo "$a"
}

# The flags this openfront binary has: the disk tier and the size limit
# arrive with other work, so each is used only when present.
of_help=$("$tmp/bin/openfront" serve --help 2>&1 || true)
has_flag() { grep -q -- "-$1[ =]" <<<"$of_help" || grep -q -- "-$1\$" <<<"$of_help"; }

# start_openfront BUDGET DISK_BYTES: serve with that memory budget and,
# when the binary has a disk tier, that much disk; sets openfront_port, of_pid,
# domain.
start_openfront() {
	local budget=$1 disk=$2 args=()
	api_port=$(free_port)
	openfront_port=$(free_port)
	rm -rf "$tmp/openfront"
	args=(--cache-size "$budget")
	if has_flag max-object-size; then
		args+=(--max-object-size $((1 << 30)))
	fi
	if has_flag disk-cache; then
		args+=(--disk-cache "$tmp/openfront-disk" --disk-cache-size "$disk")
		of_disk="disk tier $(mib "$disk") MiB"
	else
		of_disk="no disk tier (this binary has no --disk-cache)"
	fi
	"${srv[@]}" "$tmp/bin/openfront" serve --data "$tmp/openfront" --api-addr "127.0.0.1:$api_port" \
		--edge-addr "127.0.0.1:$openfront_port" --admin-addr "" "${args[@]}" >"$tmp/openfront.out" 2>"$tmp/openfront.log" &
	of_pid=$!
	pids+=("$of_pid")
	for _ in $(seq 100); do [ -s "$tmp/openfront/credentials" ] && break; sleep 0.1; done
	domain=$("$tmp/bin/mkdist" -api "http://127.0.0.1:$api_port" -credentials "$tmp/openfront/credentials" -origin-port "$origin_port")
}

# start_nginx SLICE MAX_SIZE: proxy_cache on disk (the page cache is its
# memory), keep-alive to the origin; with SLICE=1 the slice module caches
# 1 MiB slices fetched with ranged origin requests. Sets nginx_port.
start_nginx() {
	local slice=$1 max=$2 dir=$tmp/nginx
	nginx_port=$(free_port)
	rm -rf "$dir"
	mkdir -p "$dir/cache" "$dir/logs"
	local cache_cfg="proxy_cache_key \$uri;"
	if [ "$slice" = 1 ]; then
		cache_cfg="slice 1m; proxy_cache_key \$uri\$slice_range; proxy_set_header Range \$slice_range; proxy_cache_valid 206 1d;"
	fi
	cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
$([ "$(id -u)" -eq 0 ] && echo "user root;")
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $dir/body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	proxy_cache_path $dir/cache levels=1:2 keys_zone=bench:64m max_size=$max inactive=1d use_temp_path=off;
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
			$cache_cfg
			add_header X-Cache \$upstream_cache_status;
		}
	}
}
EOF
	"${srv[@]}" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
	pids+=($!)
	wait_http "http://127.0.0.1:$nginx_port/1k"
}

# start_varnish STORAGE...: varnishd with the built-in VCL (it streams
# misses) and the given -s options. Sets varnish_port.
start_varnish() {
	varnish_port=$(free_port)
	local jail=()
	[ "$(id -u)" -eq 0 ] && jail=(-j none)
	rm -rf "$tmp/varnish"
	"${srv[@]}" varnishd -F -a "127.0.0.1:$varnish_port" -b "127.0.0.1:$origin_port" "$@" \
		-n "$tmp/varnish" "${jail[@]}" >"$tmp/varnish.log" 2>&1 &
	pids+=($!)
	wait_http "http://127.0.0.1:$varnish_port/1k"
}

port_of() { eval echo "\$${1}_port"; }
host_of() { if [ "$1" = openfront ]; then echo "$domain"; else echo ""; fi; }

# RSS of the openfront process: VmHWM is its peak since the last reset
# (clear_refs 5), so each case reports its own peak.
rss_reset() { echo 5 >"/proc/$of_pid/clear_refs" 2>/dev/null || true; }
rss_peak() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$of_pid/status" 2>/dev/null || echo -; }

# wrk_mibs prints "req/s MiB/s" of a wrk run (its arguments follow).
wrk_mibs() {
	"${load[@]}" wrk "$@" | awk '
		/^Requests\/sec:/ { rps = $2 }
		/^Transfer\/sec:/ {
			v = $2; m = 1
			if (v ~ /GB$/) m = 1024; else if (v ~ /MB$/) m = 1; else if (v ~ /KB$/) m = 1 / 1024; else m = 1 / 1048576
			sub(/[KMG]?B$/, "", v); mibs = v * m
		}
		/^Non-2xx/ { bad = 1 }
		END { if (bad) { rps = 0; mibs = 0 } printf "%.0f %.0f\n", rps, mibs }'
}

declare -A R

# --- phase 1: a 100 MiB object and a cold range -------------------------------

echo
echo "large: phase 1, budget $(mib "$LARGE_MEM") MiB (openfront --cache-size, Varnish malloc), origin rate $(mib "$RATE") MiB/s on cold fetches"
start_openfront "$LARGE_MEM" $((2 * LARGE_MEM))
echo "  openfront: $of_disk"
start_nginx 0 $((2 * LARGE_MEM))
nginx_plain_port=$nginx_port
nginx_port=
start_nginx 1 $((2 * LARGE_MEM))
nginx_slice_port=$nginx_port
start_varnish -s "malloc,$LARGE_MEM"
L1=(origin openfront nginx_plain varnish)

for s in "${L1[@]}"; do
	case $s in
	origin) port=$origin_port host="" ;;
	nginx_plain) port=$nginx_plain_port host="" ;;
	*) port=$(port_of "$s") host=$(host_of "$s") ;;
	esac
	[ "$s" = openfront ] && rss_reset
	# cold: the origin sends headers at once and the body at RATE
	read -r st hd first total n < <("$tmp/bin/ttfb" -host "$host" "http://127.0.0.1:$port/slow/100m") || true
	R[$s/cold]="$st $first $total $n"
	# hot: now cached (the origin itself is as fast as ever)
	read -r st hd first total n < <("$tmp/bin/ttfb" -host "$host" "http://127.0.0.1:$port/slow/100m") || true
	R[$s/hot]="$st $first $total $n"
	[ "$s" = openfront ] && R[rss/ttfb]=$(rss_peak)
	printf '  %-11s cold first byte %8s ms, whole %8s ms | hot first byte %6s ms, whole %7s ms\n' "$s" \
		"$(cut -d' ' -f2 <<<"${R[$s/cold]}")" "$(cut -d' ' -f3 <<<"${R[$s/cold]}")" \
		"$(cut -d' ' -f2 <<<"${R[$s/hot]}")" "$(cut -d' ' -f3 <<<"${R[$s/hot]}")"
done

echo "  hot throughput of /slow/100m: $CONNS_LARGE connections for ${LARGE_DURATION}s (bench/ttfb -for)"
for s in openfront nginx_plain varnish; do
	case $s in
	nginx_plain) port=$nginx_plain_port host="" ;;
	*) port=$(port_of "$s") host=$(host_of "$s") ;;
	esac
	[ "$s" = openfront ] && rss_reset
	read -r rps mibs < <("${load[@]}" "$tmp/bin/ttfb" -host "$host" -conns "$CONNS_LARGE" -for "${LARGE_DURATION}s" "http://127.0.0.1:$port/slow/100m") || true
	R[$s/tput]=$mibs
	[ "$s" = openfront ] && R[rss/tput]=$(rss_peak)
	printf '  %-11s %6s MiB/s\n' "$s" "$mibs"
done

echo "  cold Range: bytes=0-9 of $RANGE_N cold objects /256m, /257m, ... (origin at full speed): median time, origin MiB per range"
for s in openfront nginx_plain nginx_slice varnish; do
	case $s in
	nginx_plain) port=$nginx_plain_port host="" ;;
	nginx_slice) port=$nginx_slice_port host="" ;;
	*) port=$(port_of "$s") host=$(host_of "$s") ;;
	esac
	[ "$s" = openfront ] && rss_reset
	before=$(origin_settled)
	times=()
	for i in $(seq 0 $((RANGE_N - 1))); do
		read -r st hd first total n < <("${load[@]}" "$tmp/bin/ttfb" -host "$host" -range bytes=0-9 "http://127.0.0.1:$port/$((256 + i))m") || true
		times+=("$total")
		sleep 0.2
	done
	after=$(origin_settled)
	med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	R[$s/range]="$st $med $n $(((after - before) / RANGE_N))"
	[ "$s" = openfront ] && R[rss/range]=$(rss_peak)
	printf '  %-11s status %s, median %8s ms (%s), %9s body bytes; origin sent %s MiB per range\n' "$s" "$st" "$med" "${times[*]}" "$n" "$(mib $(((after - before) / RANGE_N)))"
done
stop_all

# --- phase 2: a working set WS_FACTOR times the memory budget --------------

ws_bytes=$((WS_FACTOR * WS_MEM))
ws_n=$((ws_bytes / WS_OBJECT))
cat >"$tmp/ws.lua" <<EOF
-- $ws_n objects, zipf exponent $WS_ZIPF (0: uniform), a seed per thread.
local n, s = $ws_n, $WS_ZIPF
local cdf = {}
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end
function init(args)
	math.randomseed(os.time() * 100 + id)
	local sum = 0
	for i = 1, n do sum = sum + 1 / i ^ s; cdf[i] = sum end
	for i = 1, n do cdf[i] = cdf[i] / sum end
end
function request()
	local u, lo, hi = math.random(), 1, n
	while lo < hi do
		local mid = math.floor((lo + hi) / 2)
		if cdf[mid] < u then lo = mid + 1 else hi = mid end
	end
	return wrk.format(nil, "/ws/" .. lo)
end
EOF
# The warm-up sweeps the whole set in order (two threads, odd and even
# objects), so that every cache has seen every object before the measured
# window: the misses left then are what a cache could not keep.
cat >"$tmp/ws-sweep.lua" <<EOF
local n, i = $ws_n, 0
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end
function init(args)
	i = id - 1
end
function request()
	i = i + 2
	return wrk.format(nil, "/ws/" .. (i % n + 1))
end
EOF

echo
echo "large: phase 2, working set $ws_n x $(mib "$WS_OBJECT") MiB = $(mib "$ws_bytes") MiB, memory budget $(mib "$WS_MEM") MiB, zipf $WS_ZIPF"
start_openfront "$WS_MEM" $((2 * ws_bytes))
echo "  openfront: $of_disk"
start_nginx 1 $((2 * ws_bytes))
start_varnish -s "file,$tmp/varnish.bin,$((2 * ws_bytes))" -s "Transient=malloc,64m"
echo "  nginx: proxy_cache on disk with slice 1m; Varnish: -s file ($(mib $((2 * ws_bytes))) MiB) -s Transient=malloc,64m"
for s in openfront nginx varnish; do
	port=$(port_of "$s")
	args=(-t2 -c"$WS_CONNS" -s "$tmp/ws.lua" --timeout 30s)
	[ "$s" = openfront ] && args+=(-H "Host: $domain")
	sweep=(-t2 -c2 -s "$tmp/ws-sweep.lua" --timeout 30s)
	[ "$s" = openfront ] && sweep+=(-H "Host: $domain")
	wrk_mibs "${sweep[@]}" -d"${WS_WARMUP}s" "http://127.0.0.1:$port" >/dev/null
	[ "$s" = openfront ] && rss_reset
	before=$(origin_stat bytes)
	read -r rps mibs < <(wrk_mibs "${args[@]}" -d"${WS_DURATION}s" "http://127.0.0.1:$port") || true
	after=$(origin_stat bytes)
	served=$(awk -v m="$mibs" -v d="$WS_DURATION" 'BEGIN { printf "%.0f", m * d * 1048576 }')
	hit=$(awk -v o=$((after - before)) -v s="$served" 'BEGIN { if (s > 0) printf "%.3f", 1 - o / s; else print "-" }')
	R[$s/ws]="$rps $mibs $hit"
	[ "$s" = openfront ] && R[rss/ws]=$(rss_peak)
	printf '  %-9s %7s req/s %6s MiB/s  byte hit ratio %s\n' "$s" "$rps" "$mibs" "$hit"
done
stop_all

# --- report ----------------------------------------------------------------

f() { cut -d' ' -f"$2" <<<"${R[$1]:-}"; }
best() { awk -v a="$1" -v b="$2" -v lo="${3:-0}" 'BEGIN { if (lo) print (a < b ? a : b); else print (a > b ? a : b) }'; }
echo
echo "large: results (one run; ratios are openfront / the better of nginx and Varnish)"
printf '%-34s %10s %10s %10s %10s %8s\n' case openfront nginx varnish origin ratio
c_of=$(f openfront/cold 2) c_ng=$(f nginx_plain/cold 2) c_va=$(f varnish/cold 2)
printf '%-34s %10s %10s %10s %10s %8s\n' "100 MiB cold first byte (ms)" "$c_of" "$c_ng" "$c_va" "$(f origin/cold 2)" \
	"$(ratio "$c_of" "$(best "$c_ng" "$c_va" 1)")"
printf '%-34s %10s %10s %10s %10s %8s\n' "100 MiB cold whole (ms)" "$(f openfront/cold 3)" "$(f nginx_plain/cold 3)" "$(f varnish/cold 3)" "$(f origin/cold 3)" \
	"$(ratio "$(f openfront/cold 3)" "$(best "$(f nginx_plain/cold 3)" "$(f varnish/cold 3)" 1)")"
printf '%-34s %10s %10s %10s %10s %8s\n' "100 MiB hot first byte (ms)" "$(f openfront/hot 2)" "$(f nginx_plain/hot 2)" "$(f varnish/hot 2)" "" \
	"$(ratio "$(f openfront/hot 2)" "$(best "$(f nginx_plain/hot 2)" "$(f varnish/hot 2)" 1)")"
printf '%-34s %10s %10s %10s %10s %8s\n' "100 MiB hot throughput (MiB/s)" "${R[openfront/tput]}" "${R[nginx_plain/tput]}" "${R[varnish/tput]}" "" \
	"$(ratio "${R[openfront/tput]}" "$(best "${R[nginx_plain/tput]}" "${R[varnish/tput]}")")"
printf '%-34s %10s %10s %10s %10s %8s\n' "cold range 0-9 of 256 MiB (median ms)" "$(f openfront/range 2)" "$(f nginx_slice/range 2)s" "$(f varnish/range 2)" "" \
	"$(ratio "$(f openfront/range 2)" "$(best "$(f nginx_slice/range 2)" "$(f varnish/range 2)" 1)")"
printf '%-34s %10s %10s %10s %10s %8s\n' "  origin MiB sent per range" "$(mib "$(f openfront/range 4)")" "$(mib "$(f nginx_slice/range 4)")s" "$(mib "$(f varnish/range 4)")" "" ""
printf '%-34s %10s %10s %10s\n' "  (nginx without slice: ms, MiB)" "" "$(f nginx_plain/range 2)" "$(mib "$(f nginx_plain/range 4)")"
printf '%-34s %10s %10s %10s %10s %8s\n' "working set req/s" "$(f openfront/ws 1)" "$(f nginx/ws 1)s" "$(f varnish/ws 1)" "" \
	"$(ratio "$(f openfront/ws 1)" "$(best "$(f nginx/ws 1)" "$(f varnish/ws 1)")")"
printf '%-34s %10s %10s %10s %10s %8s\n' "working set byte hit ratio" "$(f openfront/ws 3)" "$(f nginx/ws 3)s" "$(f varnish/ws 3)" "" ""
echo "(s: nginx with the slice module)"
echo
echo "openfront peak RSS (MiB) per case against its memory budget (target: budget + 10 %)"
printf '  %-22s %6s MiB of %5s MiB  (%s)\n' "100 MiB cold+hot" "${R[rss/ttfb]}" "$(mib "$LARGE_MEM")" "$(ratio "${R[rss/ttfb]}" "$(mib "$LARGE_MEM")")"
printf '  %-22s %6s MiB of %5s MiB  (%s)\n' "100 MiB throughput" "${R[rss/tput]}" "$(mib "$LARGE_MEM")" "$(ratio "${R[rss/tput]}" "$(mib "$LARGE_MEM")")"
printf '  %-22s %6s MiB of %5s MiB  (%s)\n' "cold range" "${R[rss/range]}" "$(mib "$LARGE_MEM")" "$(ratio "${R[rss/range]}" "$(mib "$LARGE_MEM")")"
printf '  %-22s %6s MiB of %5s MiB  (%s)\n' "working set" "${R[rss/ws]}" "$(mib "$WS_MEM")" "$(ratio "${R[rss/ws]}" "$(mib "$WS_MEM")")"
