# Sourced by the backup benchmarks: build_bench_db builds dfs://bench in $data through `run`
# (the caller's strata command): COMPO of $partitions/5 dates x 5 ID ranges, ID, date and two
# random DOUBLE columns (incompressible, so bytes on disk grow with rows), appended $batch
# rows at a time until the data directory holds $mb MiB. Scripts go to $work.
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
