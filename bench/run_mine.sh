#!/bin/sh
# The mining benchmark, by hand: generates synthetic logs of 100,000 and
# 1,000,000 events into the build directory (never into the source tree),
# then on each of them and on the public logs in ../shared/data/xes measures
#   - baselines: a no-op libxml2 SAX2 parse pulling from the file, the same
#     as a push parse, the same through the hardened set-up the miner uses,
#     and a no-op xmlTextReader walk,
#   - cjm_mine_file() through bench_mine, and the cjm mine command,
#   - the Python standard-library reference (tests/xes_reference.py),
# and prints the median times of ROUNDS interleaved rounds (default 5), the
# ratios to the baselines of the same run, of wall-clock time and of
# processor time (steadier when other work shares the machine), and the peak
# RSS of each.
#
#     [ROUNDS=N] [BEFORE=OTHER_BUILD_DIR] bench/run_mine.sh [BUILD_DIR]   (default: build)
#
# With BEFORE, the bench_mine of another build (of an earlier commit, say)
# runs its safe and mine modes in the same rounds, and a second line gives
# its ratios to this run's plain parse: before and after, under the same load.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
bench=$build/bench/bench_mine
cjm=$build/tools/cjm
py=/usr/bin/python3
data=$src/../shared/data/xes
work=$build/bench-mine
mkdir -p "$work"

[ -x "$bench" ] || { echo "run_mine: build bench_mine first ($bench)" >&2; exit 2; }
[ -x "$cjm" ] || { echo "run_mine: build the cjm command first ($cjm)" >&2; exit 2; }

cc -O2 -o "$work/gen_xes" "$src/bench/gen_xes.c"
[ -f "$work/synthetic-100k.xes" ] || "$work/gen_xes" 100000 "$work/synthetic-100k.xes"
[ -f "$work/synthetic-1m.xes" ] || "$work/gen_xes" 1000000 "$work/synthetic-1m.xes"

field() { # key line
    echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

median() { # numbers...
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
        else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

rounds=${ROUNDS:-5}
before=${BEFORE:-}
modes="sax push safe reader mine"
if [ -n "$before" ]; then
    [ -x "$before/bench/bench_mine" ] || { echo "run_mine: no $before/bench/bench_mine" >&2; exit 2; }
    modes="$modes bsafe bmine"
fi
logs="$work/synthetic-100k.xes $work/synthetic-1m.xes"
for f in running-example.xes helpdesk.xes.gz bpic2012.xes.gz; do
    [ -f "$data/$f" ] && logs="$logs $data/$f"
done
[ -d "$data" ] || echo "run_mine: $data is absent: public logs skipped"

echo "medians of $rounds interleaved rounds; wall-clock seconds, ratios of wall-clock and of processor time"
printf '%-22s %6s %6s %6s %6s %7s %6s %6s %7s %8s %9s %8s %9s %7s %6s\n' log MB sax_s push_s \
    safe_s reader_s mine_s cli_s python_s mine/sax mine/safe cpu:m/sax cpu:m/safe py/mine rss_MB
for log in $logs; do
    name=$(basename "$log")
    mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN { printf "%.1f", b / 1048576 }')
    # Rounds interleave the modes, so that load from elsewhere hits them
    # alike; each run is a single pass, and each mode's median is kept.
    for m in $modes; do eval "w_$m= c_$m="; done
    rss=0
    for round in $(seq "$rounds"); do
        for m in $modes; do
            case $m in
            b*) line=$("$before/bench/bench_mine" "${m#b}" "$log" 1) ;;
            *) line=$("$bench" "$m" "$log" 1) ;;
            esac
            eval "w_$m=\"\$w_$m $(field seconds "$line")\""
            eval "c_$m=\"\$c_$m $(field cpu "$line")\""
            [ "$m" = mine ] && rss=$(awk -v a="$rss" -v b="$(field rss_kb "$line")" \
                'BEGIN { print (b > a ? b : a) }')
        done
    done
    for m in $modes; do
        eval "W_$m=\$(median \$w_$m)"
        eval "C_$m=\$(median \$c_$m)"
    done
    cli=$( { /usr/bin/time -f "%e %M" "$cjm" mine "$log" --channel-key channel --quiet; } 2>&1 | tail -1)
    pys=$( { /usr/bin/time -f "%e %M" "$py" "$src/tests/xes_reference.py" "$log" \
        --channel-key channel >/dev/null; } 2>&1 | tail -1)
    cli_s=${cli% *}
    py_s=${pys% *}
    rss_mb=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-22s %6s %6s %6s %6s %7s %6s %6s %7s %8s %9s %8s %9s %7s %6s\n' "$name" "$mb" \
        "$W_sax" "$W_push" "$W_safe" "$W_reader" "$W_mine" "$cli_s" "$py_s" \
        "$(ratio "$W_mine" "$W_sax")" "$(ratio "$W_mine" "$W_safe")" \
        "$(ratio "$C_mine" "$C_sax")" "$(ratio "$C_mine" "$C_safe")" \
        "$(ratio "$py_s" "$W_mine")" "$rss_mb"
    echo "    cpu_s: sax $C_sax, push $C_push, safe $C_safe, reader $C_reader, mine $C_mine;" \
        "peak rss_kb: mine $rss, cli ${cli#* }, python ${pys#* }"
    if [ -n "$before" ]; then
        echo "    before: safe $W_bsafe s, mine $W_bmine s; mine/sax $(ratio "$W_bmine" "$W_sax")," \
            "cpu:m/sax $(ratio "$C_bmine" "$C_sax"), cpu:safe/sax $(ratio "$C_bsafe" "$C_sax");" \
            "after: cpu:safe/sax $(ratio "$C_safe" "$C_sax")"
    fi
done
