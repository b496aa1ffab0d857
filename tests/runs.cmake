# runs.cmake -- `clustersim run` end to end: each exit status (0, 1, 2, 3), the progress lines
# when stderr is not a terminal and the bar when it is, silence with --quiet, and --precision
# giving the same bytes with 1 and 2 threads and saying what stopped it.
#
# cmake -DCLUSTERSIM=<binary> -DQUICKSTART=<quickstart.yaml> -DFAILS=<fails/input.yaml>
#       -DINVALID=<an invalid scenario> -DWORK=<scratch dir> [-DSCRIPT=<script(1)>] [-DHOOKS=ON] -P runs.cmake

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Runs clustersim with ARGN and checks its exit status against `want`, a regex alternative such
# as 0 or 0|1; leaves stdout and stderr in out, err.
function(expect_exit want label)
  execute_process(COMMAND "${CLUSTERSIM}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc MATCHES "^(${want})$")
    message(FATAL_ERROR "runs: ${label}: clustersim ${ARGN} exited '${rc}', expected ${want}\n"
                        "stdout:\n${o}\nstderr:\n${e}")
  endif()
  set(out "${o}" PARENT_SCOPE)
  set(err "${e}" PARENT_SCOPE)
endfunction()

function(expect_in text what label)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "runs: ${label}: expected '${what}' in:\n${text}")
  endif()
endfunction()

# 0: every property held; --quiet prints nothing at all.
expect_exit(0 "exit 0" run "${QUICKSTART}" --reps 20 --quiet --progress --no-plots --out "${WORK}/ok")
if(NOT out STREQUAL "" OR NOT err STREQUAL "")
  message(FATAL_ERROR "runs: --quiet printed something:\nstdout:\n${out}\nstderr:\n${err}")
endif()

# replications.csv: a header, then one row per replication in order; --no-replications
# leaves none, and removes the one an earlier run left in the folder.
file(STRINGS "${WORK}/ok/replications.csv" rows)
list(LENGTH rows n)
list(GET rows 0 head)
list(GET rows 20 last)
if(NOT n EQUAL 21 OR NOT head MATCHES "^replication,nodes\\.up_mean,.*,property\\.[a-z-]+\\.held$" OR
   NOT last MATCHES "^19,")
  message(FATAL_ERROR "runs: replications.csv: ${n} lines, header '${head}', last row '${last}'")
endif()
expect_exit(0 "--no-replications" run "${QUICKSTART}" --reps 20 --quiet --no-plots --no-replications
            --out "${WORK}/ok")
if(EXISTS "${WORK}/ok/replications.csv")
  message(FATAL_ERROR "runs: --no-replications left an earlier run's replications.csv in the folder")
endif()

# 1: a property missed its threshold; the summary says which.
expect_exit(1 "exit 1" run "${FAILS}" --no-plots --out "${WORK}/fails")
expect_in("${out}" "FAIL web-both-ready: held in 0/20 replications" "exit 1")

# 2: bad usage and bad input.
expect_exit(2 "--reps 0" run "${QUICKSTART}" --reps 0)
expect_in("${err}" "clustersim run: --reps: expected an integer between 1 and 1000000, found \"0\"" "--reps 0")
expect_exit(2 "--precision 1.5" run "${QUICKSTART}" --precision 1.5)
expect_in("${err}" "--precision: expected a relative half-width between 0 and 1" "--precision 1.5")
expect_exit(2 "missing file" run "${WORK}/no-such.yaml")
expect_in("${err}" "no-such.yaml: error: cannot read file" "missing file")
expect_exit(2 "invalid scenario" run "${INVALID}")
expect_in("${err}" ": error: " "invalid scenario")
expect_exit(2 "unknown command" frobnicate)

# 3: results that cannot be written (a directory under a character device).
expect_exit(3 "exit 3" run "${QUICKSTART}" --reps 2 --quiet --out /dev/null/results)
expect_in("${err}" "/dev/null/results/summary.json" "exit 3")
# 3 again, from a replication out of memory (injected by a CS_TEST_HOOKS build), with 2
# threads: the others stop, nothing is written.
if(HOOKS)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env CLUSTERSIM_FAIL_ON_RANK=0 "${CLUSTERSIM}" run "${QUICKSTART}"
                          --reps 50 --threads 2 --quiet --no-plots --out "${WORK}/oom"
                  RESULT_VARIABLE rc ERROR_VARIABLE e)
  if(NOT rc STREQUAL "3" OR NOT e STREQUAL "clustersim: error: out of memory\n" OR EXISTS "${WORK}/oom/summary.json")
    message(FATAL_ERROR "runs: a replication out of memory: exit '${rc}', stderr '${e}'")
  endif()
endif()

# Progress on a pipe: plain lines, no carriage return or escape, the last one at the end.
expect_exit(0 "progress" run "${QUICKSTART}" --reps 50 --progress --no-plots --out "${WORK}/progress")
string(ASCII 13 27 cr_esc)
if(err MATCHES "[${cr_esc}]")
  message(FATAL_ERROR "runs: progress on a pipe has a carriage return or an escape:\n${err}")
endif()
string(REGEX REPLACE "\n$" "" lines "${err}")
string(REPLACE "\n" ";" lines "${lines}")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^progress: [0-9]+/50 replications, [0-9]+\\.[0-9] s elapsed, ETA ([0-9]+ s|[0-9]+m[0-9][0-9]s|[0-9]+h[0-9][0-9]m)$")
    message(FATAL_ERROR "runs: unexpected progress line '${line}' in:\n${err}")
  endif()
endforeach()
list(GET lines -1 last)
if(NOT last MATCHES "^progress: 50/50 replications")
  message(FATAL_ERROR "runs: the last progress line should say 50/50, found '${last}'")
endif()

# Progress on a terminal: util-linux `script` runs clustersim on a pseudo-terminal, so stderr
# is a tty and the bar is redrawn in place: a carriage return, the bar, the counts, and
# ESC[K to clear the rest of the line; the last one full and ended by a newline.
if(SCRIPT)
  execute_process(COMMAND "${SCRIPT}" -q -e -c "'${CLUSTERSIM}' run '${QUICKSTART}' --reps 50 --progress --no-plots --out '${WORK}/tty' > /dev/null"
                  "${WORK}/tty.log" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  file(READ "${WORK}/tty.log" tty)
  string(ASCII 13 cr)
  string(ASCII 27 esc)
  string(FIND "${tty}" "${cr}[==============================] 50/50 replications  " at)
  if(NOT rc EQUAL 0 OR at EQUAL -1 OR NOT tty MATCHES "50/50 replications  [0-9]+\\.[0-9] s elapsed  ETA 0 s${esc}\\[K${cr}?\n")
    message(FATAL_ERROR "runs: the progress bar on a terminal (exit ${rc}) is not as expected:\n${tty}")
  endif()
else()
  message(STATUS "runs: no util-linux script(1): the terminal progress bar is not checked")
endif()

# --precision: the same bytes with 1 and 2 threads, stopped by precision before the cap.
foreach(t 1 2)
  expect_exit("0|1" "precision, ${t} threads" run "${QUICKSTART}" --precision 0.02 --reps 5000 --threads ${t} --no-plots
              --out "${WORK}/p${t}")
endforeach()
expect_in("${out}" "stopped by precision: " "precision summary line")
file(SHA256 "${WORK}/p1/summary.json" h1)
file(SHA256 "${WORK}/p2/summary.json" h2)
if(NOT h1 STREQUAL h2)
  message(FATAL_ERROR "runs: --precision summary.json differs between 1 and 2 threads")
endif()
file(READ "${WORK}/p1/summary.json" json)
string(JSON rule GET "${json}" stopping rule)
string(JSON reps GET "${json}" replications)
string(JSON cap GET "${json}" stopping max_replications)
if(NOT rule STREQUAL "precision" OR NOT reps LESS 5000 OR NOT cap EQUAL 5000)
  message(FATAL_ERROR "runs: --precision 0.02: rule '${rule}', ${reps} of ${cap} replications")
endif()
message(STATUS "runs: ok (precision stopped at ${reps} replications)")
