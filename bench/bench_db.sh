# Sourced by the backup benchmarks (backup_bench.sh, sql_backup_bench.sh, s3_bench.sh): the
# benchmark database and the helpers they share. The caller sets $work (its work directory) and
# $data (the data directory) first.

# use_strata SRC: runs a private copy of the binary SRC from $work, so a rebuild during the run
# cannot change it; defines `strata`, `strata_run` (as admin on $data) and run.
use_strata() {
  strata="$work/strata"
  cp "$1" "$strata"
  strata_run=("$strata" run --quiet --data "$data" --user admin --password 123456)
}
run() { "${strata_run[@]}" "$@"; }

# timed NAME CMD...: runs CMD under GNU time, its output in $work/NAME.out and .err; appends
# "NAME <seconds> <peak KiB> <CPU seconds, user + system>" to $work/times. A failing step ends
# the benchmark.
timed() {
  local name="$1"
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" > "$work/$name.out" \
    2> "$work/$name.err" || { echo "step $name failed:"; tail -5 "$work/$name.err"; exit 1; }
  echo "$name $(awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }' "$work/time.out")" >> "$work/times"
}

# print_times: every timed step as a table of seconds, CPU seconds and peak MiB.
print_times() {
  printf "%-16s %10s %10s %12s\n" step seconds "CPU s" "peak MiB"
  while read -r name secs kib cpu; do
    printf "%-16s %10s %10s %12d\n" "$name" "$secs" "${cpu:--}" $((kib / 1024))
  done < "$work/times"
}

# median NAME [FIELD]: the median seconds (FIELD 4: CPU seconds) of the repeated steps NAME.1,
# NAME.2, ... (the lower middle one for an even count).
median() {
  awk -v n="$1" -v f="${2:-2}" 'index($1, n ".") == 1 { print $f }' "$work/times" | sort -n |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ratio A B: A / B with two decimals, "n/a" when B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# build_bench_db builds dfs://bench in $data through run: COMPO of $partitions/5 dates x 5 ID
# ranges, ID, date and two random DOUBLE columns (incompressible, so bytes on disk grow with
# rows), appended $batch rows at a time until the data directory holds $mb MiB. Scripts go to
# $work.
build_bench_db() {
  local days=$((partitions / 5))
  cat > "$work/create.dos" <<DOS
dates = 2020.01.01 + til($days)
db = database("dfs://bench", COMPO, [database(, VALUE, dates), database(, RANGE, 0 20 40 60 80 100)])
n = 1000
t = table(rand(100, n) as ID, rand(dates, n) as date, rand(1.0, n) as x, rand(1.0, n) as y)
db.createPartitionedTable(t, \`pt, \`date\`ID)
DOS
  cat > "$work/append.dos" <<DOS
dates = 2020.01.01 + til($days)
n = $batch
t = table(rand(100, n) as ID, rand(dates, n) as date, rand(1.0, n) as x, rand(1.0, n) as y)
loadTable("dfs://bench", "pt").append!(t)
DOS
  run "$work/create.dos" > /dev/null
  while [ "$(du -sb "$data" | cut -f1)" -lt $((mb * 1048576)) ]; do
    run "$work/append.dos" > /dev/null
  done
}
