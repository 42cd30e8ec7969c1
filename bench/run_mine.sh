#!/bin/sh
# The mining benchmark, by hand: generates synthetic logs of 100,000 and
# 1,000,000 events into the build directory (never into the source tree),
# then on each of them and on the public logs in ../shared/data/xes measures
#   - baselines: a no-op libxml2 SAX2 parse pulling from the file, the same
#     as a push parse, the same through the hardened set-up the miner uses,
#     and a no-op xmlTextReader walk,
#   - cjm_mine_file() through bench_mine, and the cjm mine command,
#   - the Python standard-library reference (tests/xes_reference.py),
# and prints the times, the ratios to the baselines of the same run and the
# peak RSS of each.
#
#     bench/run_mine.sh [BUILD_DIR]       (default: build)
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

best() { # previous-line new-line: the one with fewer seconds
    if [ -z "$1" ]; then echo "$2"; return; fi
    awk -v a="$(field seconds "$1")" -v b="$(field seconds "$2")" \
        'BEGIN { exit !(b < a) }' && echo "$2" || echo "$1"
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

logs="$work/synthetic-100k.xes $work/synthetic-1m.xes"
for f in running-example.xes helpdesk.xes.gz bpic2012.xes.gz; do
    [ -f "$data/$f" ] && logs="$logs $data/$f"
done
[ -d "$data" ] || echo "run_mine: $data is absent: public logs skipped"

printf '%-22s %7s %7s %7s %7s %8s %7s %7s %8s %8s %9s %8s %7s\n' log MB sax_s push_s \
    safe_s reader_s mine_s cli_s python_s mine/sax mine/safe py/mine rss_MB
for log in $logs; do
    name=$(basename "$log")
    mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN { printf "%.1f", b / 1048576 }')
    # Rounds interleave the modes, so that load from elsewhere hits them alike;
    # each mode keeps its best time.
    sax= push= safe= reader= mine=
    for round in 1 2 3; do
        sax=$(best "$sax" "$("$bench" sax "$log")")
        push=$(best "$push" "$("$bench" push "$log")")
        safe=$(best "$safe" "$("$bench" safe "$log")")
        reader=$(best "$reader" "$("$bench" reader "$log")")
        mine=$(best "$mine" "$("$bench" mine "$log")")
    done
    cli=$( { /usr/bin/time -f "%e %M" "$cjm" mine "$log" --channel-key channel --quiet; } 2>&1 | tail -1)
    pys=$( { /usr/bin/time -f "%e %M" "$py" "$src/tests/xes_reference.py" "$log" \
        --channel-key channel >/dev/null; } 2>&1 | tail -1)
    sax_s=$(field seconds "$sax")
    mine_s=$(field seconds "$mine")
    cli_s=${cli% *}
    py_s=${pys% *}
    rss_mb=$(awk -v k="$(field rss_kb "$mine")" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-22s %7s %7s %7s %7s %8s %7s %7s %8s %8s %9s %8s %7s\n' "$name" "$mb" "$sax_s" \
        "$(field seconds "$push")" "$(field seconds "$safe")" "$(field seconds "$reader")" \
        "$mine_s" "$cli_s" "$py_s" "$(ratio "$mine_s" "$sax_s")" \
        "$(ratio "$mine_s" "$(field seconds "$safe")")" "$(ratio "$py_s" "$mine_s")" "$rss_mb"
    echo "    rss_kb: sax $(field rss_kb "$sax"), reader $(field rss_kb "$reader"), mine $(field rss_kb "$mine"), cli ${cli#* }, python ${pys#* }"
done
