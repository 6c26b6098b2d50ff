#!/usr/bin/env bash
# bench/run.sh: cgolint's benchmark harness (see BENCHMARKS.md).
#
# Measures, side by side and interleaved, on each target:
#   cgolint  all checks (the binary built from this checkout); the C roles
#            cache is warm after the unmeasured warm-up run
#   cold     cgolint -ccache=off: the C front end translates every unit it
#            needs afresh, as on a first run (not run unless named in -tools)
#   floor    bench/floor: the same driver and loading, SSA for the named
#            packages, no checks, no reports
#   vet      `go vet` with its default suite and its result cache defeated
#   vettool  `go vet -vettool=cgolint`: cgolint as go vet runs it, one
#            process per package (deps from export data), cache defeated
#   load     bench/loadfloor: the same driver and loading, one analyzer with
#            a fact type that does nothing (the load floor; not run unless
#            named in -tools)
# wall time, user+system CPU and peak RSS from GNU time (/usr/bin/time -v),
# over N runs each, and prints the median and the spread (min-max) as a
# markdown table.
#
# Usage: bench/run.sh [-n runs] [-big] [-only t1,t2] [-profile] [-rev rev]
#                     [-synthdir dir] [-o dir]
#   -n runs    runs per tool and target (default 5)
#   -big       also measure the synthetic module with 1000 packages (slow to
#              warm: about 1000 cgo compilations)
#   -only      comma-separated targets: sqlite, nocgo, git2go, synth10,
#              synth100, synth1000 (default: all but synth1000; git2go only
#              when pkg-config finds libgit2 1.5)
#   -profile   also profile cgolint once on go-sqlite3 (-cpuprofile) and print
#              `go tool pprof -top`, and time each analyzer (-debug=tp) on
#              go-sqlite3 and git2go
#   -rev rev   build cgolint from git revision rev (git archive
#              into a temporary directory) instead of the working tree
#   -synthdir d  where the synthetic modules live (default
#              /tmp/cgolint-bench-synth); keep it between runs: cgo's
#              compilations are cached by directory
#   -tools l   comma-separated tools to run (default cgolint,floor,vet,vettool;
#              also load and cold)
#   -base t    the tool the ratio columns divide by (default floor; load
#              for the plain-Go target: bench/run.sh -only xmod -tools
#              cgolint,load -base load)
#   -o dir     keep the raw GNU time outputs and the table in dir
#              (default: a fresh temporary directory)
#
# Targets:
#   sqlite     github.com/mattn/go-sqlite3/... (cgo, bundled SQLite)
#   nocgo      golang.org/x/tools/go/ssa/... (no cgo)
#   xmod       golang.org/x/mod/... (no cgo; not run unless named in -only)
#   git2go     github.com/libgit2/git2go/v34/... (cgo, needs libgit2-dev 1.5)
#   synthN     a generated module of N small cgo packages (bench/synth)
# The real modules come from bench/corpus, a nested module, through the Go
# module proxy (`go mod download`).
#
# Every measured run starts with a warm build cache: the script builds every
# target first (including cgo's C compilation) and runs each tool once
# unmeasured. go vet caches its results (the vet output and facts of every
# package, keyed by the vet flags among other things); each vet run passes a
# flag value never used before, -printf.funcs=cgolintbench<unique>, which
# names no function in the targets, so every vet action (the named packages
# and their dependencies) misses the cache, while compilation stays cached.
# For vettool, the unique value is the path of an empty cgolint configuration
# file, -config=<dir>/empty<unique>.yml.
#
# Exit statuses accepted: cgolint 0 or 3 (findings), floor 0, vet and
# vettool 0 or 1 (findings). Anything else stops the script with the tool's stderr.
set -euo pipefail

runs=5
big=0
only=""
profile=0
out=""
rev=""
synthdir=/tmp/cgolint-bench-synth
toollist=cgolint,floor,vet,vettool
base=floor
while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs="$2"; shift 2 ;;
	-big) big=1; shift ;;
	-only) only="$2"; shift 2 ;;
	-profile) profile=1; shift ;;
	-o) out="$2"; shift 2 ;;
	-rev) rev="$2"; shift 2 ;;
	-synthdir) synthdir="$2"; shift 2 ;;
	-tools) toollist="$2"; shift 2 ;;
	-base) base="$2"; shift 2 ;;
	-h|-help|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument $1 (try -h)" >&2; exit 2 ;;
	esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/bench/corpus"
work="$(mktemp -d /tmp/cgolint-bench.XXXXXX)"
out="${out:-$work/results}"
mkdir -p "$out"
export CGO_ENABLED=1
loadbefore="$(cut -d' ' -f1-3 /proc/loadavg)"
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

log() { echo "run.sh: $*" >&2; }

# Targets: name, directory, pattern.
declare -a names=() dirs=() patterns=()
want() {
	if [ -z "$only" ]; then
		[ "$1" != xmod ] && { [ "$1" != synth1000 ] || [ "$big" = 1 ]; }
	else
		[[ ",$only," == *",$1,"* ]]
	fi
}
add() { if want "$1"; then names+=("$1"); dirs+=("$2"); patterns+=("$3"); fi; }

add sqlite "$corpus" github.com/mattn/go-sqlite3/...
add nocgo "$corpus" golang.org/x/tools/go/ssa/...
add xmod "$corpus" golang.org/x/mod/...
if pkg-config --exists 'libgit2 >= 1.5' 'libgit2 < 1.6' 2>/dev/null; then
	add git2go "$corpus" github.com/libgit2/git2go/v34/...
elif want git2go && [ -n "$only" ]; then
	log "git2go needs libgit2 1.5 (Debian libgit2-dev 1.5.1): not found by pkg-config"; exit 1
fi
for n in 10 100 1000; do
	add "synth$n" "$synthdir/synth$n" ./...
done
[ ${#names[@]} -gt 0 ] || { log "no targets"; exit 2; }

src="$root"
if [ -n "$rev" ]; then
	src="$work/src"
	mkdir -p "$src"
	(cd "$root" && git archive "$rev") | tar -x -C "$src"
	version="$(cd "$root" && git rev-parse --short "$rev")"
else
	version="$(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown)"
fi
log "building cgolint from $src, floor from $root"
(cd "$src" && go build -o "$work/cgolint" ./cmd/cgolint)
(cd "$root" && go build -o "$work/floor" ./bench/floor)
(cd "$root" && go build -o "$work/load" ./bench/loadfloor)

log "fetching and building the targets (warming the build cache)"
(cd "$corpus" && go mod download)
for i in "${!names[@]}"; do
	name="${names[$i]}" dir="${dirs[$i]}"
	case "$name" in
	synth*) (cd "$root" && go run ./bench/synth -n "${name#synth}" -o "$dir") ;;
	esac
	# The unmeasured warm-up runs below also compile the test variants.
	(cd "$dir" && go build "${patterns[$i]}")
done

seq=0
# measure NAME TOOL RUN: runs TOOL on target NAME under GNU time, appends a
# line "target tool run wall user sys rss_kb exit" to $out/raw.tsv.
measure() {
	local i="$1" tool="$2" run="$3" name="${names[$1]}"
	local tag="$name.$tool.$run"
	local -a cmd
	case "$tool" in
	cgolint) cmd=("$work/cgolint" "${patterns[$i]}") ;;
	cold) cmd=("$work/cgolint" -ccache=off "${patterns[$i]}") ;;
	floor) cmd=("$work/floor" "${patterns[$i]}") ;;
	load) cmd=("$work/load" "${patterns[$i]}") ;;
	vet)
		seq=$((seq + 1))
		cmd=(go vet "-printf.funcs=cgolintbench$$x$(date +%s%N)x$seq" "${patterns[$i]}") ;;
	vettool)
		seq=$((seq + 1))
		local cfg="$work/empty$(date +%s%N)x$seq.yml"
		: >"$cfg"
		cmd=(go vet "-vettool=$work/cgolint" "-config=$cfg" "${patterns[$i]}") ;;
	esac
	local rc=0
	(cd "${dirs[$i]}" && /usr/bin/time -v -o "$out/$tag.time" "${cmd[@]}" >"$out/$tag.stdout" 2>"$out/$tag.stderr") || rc=$?
	local ok=0
	case "$tool:$rc" in
	cgolint:0|cgolint:3|cold:0|cold:3|floor:0|load:0|vet:0|vet:1|vettool:0|vettool:1) ok=1 ;;
	esac
	if [ "$ok" != 1 ] || grep -q -e '^panic:' -e 'internal error' "$out/$tag.stderr" "$out/$tag.stdout"; then
		log "$tool on $name failed (exit $rc): ${cmd[*]}"
		head -40 "$out/$tag.stderr" >&2
		exit 1
	fi
	[ "$run" = warm ] && return 0
	awk -v t="$name" -v tool="$tool" -v r="$run" -v rc="$rc" -F': ' '
		/Elapsed \(wall clock\)/ {
			n = split($2, p, ":"); w = 0
			for (k = 1; k <= n; k++) w = w * 60 + p[k]
		}
		/User time \(seconds\)/ { u = $2 }
		/System time \(seconds\)/ { s = $2 }
		/Maximum resident set size/ { m = $2 }
		END { printf "%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%d\t%s\n", t, tool, r, w, u, s, m, rc }
	' "$out/$tag.time" >>"$out/raw.tsv"
}

IFS=, read -r -a tools <<<"$toollist"
for tool in "${tools[@]}"; do
	case "$tool" in cgolint|cold|floor|load|vet|vettool) ;; *) log "unknown tool $tool"; exit 2 ;; esac
done
: >"$out/raw.tsv"
for i in "${!names[@]}"; do
	log "warming ${names[$i]}"
	for tool in "${tools[@]}"; do measure "$i" "$tool" warm; done
	# Text findings go to stderr; a related position is a "\t..." line.
	findings="$(grep -cE '\.go:[0-9]+:[0-9]+: [^[:space:]]' "$out/${names[$i]}.cgolint.warm.stderr" || true)"
	echo -e "${names[$i]}\t$findings" >>"$out/findings.tsv"
done
for run in $(seq 1 "$runs"); do
	for i in "${!names[@]}"; do
		log "run $run/$runs: ${names[$i]}"
		for tool in "${tools[@]}"; do measure "$i" "$tool" "$run"; done
	done
done

# The table: median (min-max) per target and tool, and the ratios of the
# medians to the floor's.
table() {
	echo "| target | tool | runs | wall s | CPU s (user+sys) | peak RSS MiB | wall / $base | RSS / $base |"
	echo "|---|---|---|---|---|---|---|---|"
	awk -F'\t' '
		function med(a, n,   i, j, t) {
			for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
			lo = a[1]; hi = a[n]
			return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
		}
		{
			k = $1 SUBSEP $2
			if (!(k in cnt)) { order[++nk] = k; tgt[k] = $1; tl[k] = $2 }
			c = ++cnt[k]; W[k, c] = $4; C[k, c] = $5 + $6; R[k, c] = $7 / 1024
		}
		END {
			for (x = 1; x <= nk; x++) {
				k = order[x]; n = cnt[k]
				for (i = 1; i <= n; i++) a[i] = W[k, i]; mw[k] = med(a, n); wl[k] = lo; wh[k] = hi
				for (i = 1; i <= n; i++) a[i] = C[k, i]; mc[k] = med(a, n); cl[k] = lo; ch[k] = hi
				for (i = 1; i <= n; i++) a[i] = R[k, i]; mr[k] = med(a, n); rl[k] = lo; rh[k] = hi
			}
			for (x = 1; x <= nk; x++) {
				k = order[x]; f = tgt[k] SUBSEP base
				printf "| %s | %s | %d | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.0f (%.0f–%.0f) | %.2fx | %.2fx |\n",
					tgt[k], tl[k], cnt[k], mw[k], wl[k], wh[k], mc[k], cl[k], ch[k], mr[k], rl[k], rh[k],
					mw[k] / mw[f], mr[k] / mr[f]
				printf "%s\t%s\t%f\t%f\t%f\n", tgt[k], tl[k], mw[k], mc[k], mr[k] >medians
			}
		}
	' base="$base" medians="$out/medians.tsv" "$out/raw.tsv"
}

# growth: the marginal cost of a synthetic package between consecutive
# sizes, from the medians: linear growth keeps it flat.
growth() {
	awk -F'\t' '
		$1 ~ /^synth[0-9]+$/ {
			n = substr($1, 6) + 0
			if (($2 SUBSEP "last") in seen) {
				pn = seen[$2, "last"]
				printf "| %s | %d→%d | %.1f | %.1f | %.2f |\n", $2, pn, n,
					1000 * ($3 - W[$2, pn]) / (n - pn), 1000 * ($4 - C[$2, pn]) / (n - pn), ($5 - R[$2, pn]) / (n - pn)
			}
			W[$2, n] = $3; C[$2, n] = $4; R[$2, n] = $5; seen[$2, "last"] = n
		}
	' "$out/medians.tsv"
}

{
	echo "cgolint $version; $(go version | cut -d' ' -f3-); $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; load before: $loadbefore; $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	table
	if grep -q '^synth.*synth' <(cut -f1 "$out/medians.tsv" | sort -u | tr '\n' ' '; echo); then
		echo
		echo "Marginal cost per synthetic package, between sizes (from the medians):"
		echo
		echo "| tool | packages | wall ms/pkg | CPU ms/pkg | RSS MiB/pkg |"
		echo "|---|---|---|---|---|"
		growth
	fi
	echo
	echo "cgolint findings per target (warm-up run, test variants counted apart):"
	awk -F'\t' '{ printf "%s %s; ", $1, $2 } END { print "" }' "$out/findings.tsv"
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/table.md"

if [ "$profile" = 1 ]; then
	log "profiling cgolint on go-sqlite3"
	(cd "$corpus" && "$work/cgolint" -cpuprofile="$out/sqlite.cpu.pprof" github.com/mattn/go-sqlite3/... >/dev/null 2>&1) || [ $? = 3 ]
	# Cumulative: the phases (loading, type checking, SSA, each check).
	go tool pprof -top -cum -nodecount=60 "$work/cgolint" "$out/sqlite.cpu.pprof" 2>/dev/null | tee "$out/sqlite.cpu.cum"
	go tool pprof -top -nodecount=25 "$work/cgolint" "$out/sqlite.cpu.pprof" 2>/dev/null | tee "$out/sqlite.cpu.flat"
	# Per action (analyzer@package), run sequentially: the driver's own timing.
	for i in "${!names[@]}"; do
		case "${names[$i]}" in sqlite|git2go) ;; *) continue ;; esac
		log "per-analyzer times on ${names[$i]} (cgolint -debug=tp, sequential)"
		(cd "${dirs[$i]}" && "$work/cgolint" -debug=tp "${patterns[$i]}" 2>&1 >/dev/null) |
			grep -E '^[0-9.]+[mµn]?s	' >"$out/${names[$i]}.actions" || true
		head -25 "$out/${names[$i]}.actions"
		echo "per analyzer, summed over the actions listed (those making 90% of the time, then 'all others'):"
		awk -F'\t' '{
			v = $1; u = 1
			if (v ~ /ms$/) u = 1e-3; else if (v ~ /µs$/) u = 1e-6; else if (v ~ /ns$/) u = 1e-9
			sub(/[mµn]?s$/, "", v); a = $2; sub(/@.*/, "", a); sum[a] += v * u
		} END { for (a in sum) printf "%.3f s\t%s\n", sum[a], a }' "$out/${names[$i]}.actions" | sort -rn
	done
fi
log "raw data in $out"
