#!/bin/sh
# The hostile inputs through the command line:
#     cli.sh CJM HOSTILE_GEN WORKDIR [STRACE]
#
# For every hostile input, `cjm check` (journey maps) or `cjm mine` (event
# logs) must exit with 1 and print the input's name with a line and column.
# Each run is timed and its peak memory measured (/usr/bin/time); the peak
# must stay under 64 MB unless the program is built with a sanitizer, whose
# shadow memory would dominate. Under strace, no file may be opened but the
# input and the program's own libraries and locale data, and no socket may
# be made. After the hostile inputs, the valid documents still pass.
#
# Exit status 77 (skipped) while a subcommand is not built yet.
set -u
cjm=$1
gen=$2
work=$3
strace_bin=${4:-}
limit_kb=65536

rm -rf "$work"
mkdir -p "$work/in" "$work/log"
"$gen" "$work/in" || { echo "cli: cannot generate the inputs"; exit 1; }

available() {
    "$cjm" "$1" --help >/dev/null 2>&1
    [ $? -ne 2 ] || ! "$cjm" "$1" --help 2>&1 | grep -q "not available"
}

sanitized=0
if nm -D "$cjm" 2>/dev/null | grep -q '__asan_\|__tsan_\|__ubsan_'; then
    sanitized=1
fi
if [ "$sanitized" -eq 1 ] && [ -n "$strace_bin" ]; then
    # LeakSanitizer cannot run under ptrace; the release build's run does
    # the file and network checks, this one the memory checks.
    echo "cli: sanitized build: run without strace so that leaks are checked"
    strace_bin=""
elif [ -z "$strace_bin" ] || ! "$strace_bin" -f -qq -e trace=openat -o /dev/null true 2>/dev/null; then
    echo "cli: strace is not usable here; the file and network checks are skipped"
    strace_bin=""
fi
strace_opts=""
if [ -n "$strace_bin" ] && "$strace_bin" --seccomp-bpf -f -qq -e trace=openat -o /dev/null true 2>/dev/null; then
    strace_opts="--seccomp-bpf"
fi

failures=0
ran=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# The files a run may open besides its input: shared libraries, the loader
# cache, locale and charset data, the kernel's /proc and /sys, Graphviz's
# plugin configuration, and in the coverage build gcov's counter files.
allowed_open() {
    case "$1" in
        "$2") return 0 ;;
        *.so|*.so.[0-9]*) return 0 ;;
        /etc/ld.so.*) return 0 ;;
        /usr/lib/locale/*|/usr/share/locale/*|/usr/lib/x86_64-linux-gnu/gconv/*) return 0 ;;
        /usr/share/zoneinfo/*|/etc/localtime) return 0 ;;
        /proc/*|/sys/*|/dev/urandom|/dev/null|/dev/tty) return 0 ;;
        /usr/lib/x86_64-linux-gnu/graphviz/*) return 0 ;;
        *.gcda) return 0 ;; # the coverage build's counters
    esac
    return 1
}

# run SUB FILE EXPECT: one input through one subcommand.
run() {
    sub=$1
    file=$2
    expect=$3
    base=$(basename "$file")
    err=$work/log/$base.$sub.err
    ran=$((ran + 1))

    trace=$work/log/$base.$sub.strace
    # one run: timed, and traced when strace works (with a seccomp filter, so
    # that only the traced calls stop the program); the peak memory is that
    # of the largest process, the program rather than strace
    if [ -n "$strace_bin" ]; then
        /usr/bin/time -f '%M %e' -o "$work/log/$base.$sub.time" \
            "$strace_bin" $strace_opts -f -qq -e trace=open,openat,connect,socket -o "$trace" \
            "$cjm" "$sub" "$file" >"$work/log/$base.$sub.out" 2>"$err"
    else
        /usr/bin/time -f '%M %e' -o "$work/log/$base.$sub.time" \
            "$cjm" "$sub" "$file" >"$work/log/$base.$sub.out" 2>"$err"
    fi
    rc=$?
    # the last line holds the figures (a line before it tells of a signal)
    kb=$(tail -n 1 "$work/log/$base.$sub.time" | cut -d' ' -f1)
    secs=$(tail -n 1 "$work/log/$base.$sub.time" | cut -d' ' -f2)
    printf 'cli: %-6s %-42s exit %d  %6s KB  %5s s  %s\n' "$sub" "$base" "$rc" "$kb" "$secs" \
        "$(head -n 1 "$err" | cut -c1-100)"

    case "$expect" in
        reject)
            [ "$rc" -eq 1 ] || fail "$sub $base: exit $rc, expected 1"
            case "$base" in
                gzip-bomb*)
                    # may be refused as a whole file, before parsing: the file is named
                    grep -q "$base" "$err" ||
                        fail "$sub $base: the message does not name the file: $(head -n 1 "$err")" ;;
                *)
                    grep -q "$base:[0-9][0-9]*:[0-9][0-9]*: " "$err" ||
                        fail "$sub $base: the message does not say file:line:column: $(head -n 1 "$err")" ;;
            esac
            ;;
        accept)
            [ "$rc" -eq 0 ] || fail "$sub $base: exit $rc, expected 0: $(head -n 1 "$err")"
            ;;
        either)
            [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "$sub $base: exit $rc, expected 0 or 1"
            ;;
    esac
    if grep -q 'AddressSanitizer\|runtime error:\|LeakSanitizer\|ThreadSanitizer' "$err"; then
        fail "$sub $base: a sanitizer reported a problem"
    fi
    if [ "$sanitized" -eq 0 ] && [ "$kb" -gt "$limit_kb" ] 2>/dev/null; then
        fail "$sub $base: peak memory $kb KB is over $limit_kb KB"
    fi
    # the secret file's first line must not appear anywhere in the output
    if grep -q '^root:' "$work/log/$base.$sub.out" "$err"; then
        fail "$sub $base: the output shows the content of /etc/passwd"
    fi

    [ -n "$strace_bin" ] || return 0
    if grep -q 'connect(\|socket(' "$trace"; then
        fail "$sub $base: made a network connection: $(grep 'connect(\|socket(' "$trace" | head -n 1)"
    fi
    sed -n 's/.*open[a-z]*([^"]*"\([^"]*\)".*/\1/p' "$trace" | sort -u >"$trace.paths"
    while IFS= read -r path; do
        if ! allowed_open "$path" "$file"; then
            fail "$sub $base: opened $path"
        fi
    done <"$trace.paths"
}

checked=0
if available check; then
    checked=1
    for f in "$work"/in/*.journey.xml "$work"/in/*.journey.xml.gz; do
        [ -e "$f" ] || continue
        case "$(basename "$f")" in
            valid.*) ;;
            xinclude.*) run check "$f" either ;;
            *) run check "$f" reject ;;
        esac
    done
    run check "$work/in/valid.journey.xml" accept
else
    echo "cli: 'cjm check' is not built yet"
fi

if available mine; then
    checked=1
    for f in "$work"/in/*.log.xes "$work"/in/*.log.xes.gz; do
        [ -e "$f" ] || continue
        case "$(basename "$f")" in
            valid.*) ;;
            xinclude.*) run mine "$f" either ;;
            *) run mine "$f" reject ;;
        esac
    done
    run mine "$work/in/valid.log.xes" accept
else
    echo "cli: 'cjm mine' is not built yet"
fi

# A URL given as the input is a file name that does not exist: an error,
# and no connection.
if [ -n "$strace_bin" ] && [ "$checked" -eq 1 ]; then
    for sub in check mine; do
        available "$sub" || continue
        ran=$((ran + 1))
        trace=$work/log/url.$sub.strace
        "$strace_bin" $strace_opts -f -qq -e trace=connect,socket -o "$trace" \
            "$cjm" "$sub" "http://127.0.0.1:9/hostile.xml" >/dev/null 2>"$work/log/url.$sub.err"
        rc=$?
        printf 'cli: %-6s %-42s exit %d  %s\n' "$sub" "http://127.0.0.1:9/hostile.xml" "$rc" \
            "$(head -n 1 "$work/log/url.$sub.err" | cut -c1-100)"
        [ "$rc" -ne 0 ] || fail "$sub URL: accepted"
        if grep -q 'connect(\|socket(' "$trace"; then
            fail "$sub URL: made a network connection"
        fi
    done
fi

if [ "$checked" -eq 0 ]; then
    echo "cli: skipped: neither subcommand is built"
    exit 77
fi
echo "cli: $ran run(s), $failures failure(s)"
[ "$failures" -eq 0 ]
