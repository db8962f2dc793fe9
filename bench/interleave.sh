#!/usr/bin/env bash
# Interleaved benchmark runs, for benchstat -col /impl. Run from the repository root:
#
#   bash bench/interleave.sh ROUNDS BENCHTIME REGEX [IMPL...] > out.txt
#
# builds the bench test binary once (bench.test, ignored by git), then runs it ROUNDS times.
# Each round runs the benchmarks that REGEX matches once per implementation (default: typed
# sdk map), one process each, and the first two implementations swap places every other
# round, so that neither always runs first after the other. BENCHTIME is -test.benchtime.
set -euo pipefail
rounds=$1 benchtime=$2 regex=$3
shift 3
impls=("$@")
[ ${#impls[@]} -gt 0 ] || impls=(typed sdk map)
go test -c -o bench.test ./bench/
for ((i = 1; i <= rounds; i++)); do
	order=("${impls[@]}")
	if ((i % 2 == 0)) && [ ${#order[@]} -ge 2 ]; then
		order=("${order[1]}" "${order[0]}" "${order[@]:2}")
	fi
	for impl in "${order[@]}"; do
		./bench.test -test.run='^$' -test.bench="${regex}/impl=${impl}\$" -test.benchmem -test.benchtime="$benchtime" -test.count=1
	done
done
