# determinism.cmake -- same scenario + same seed gives the same bytes, whatever the threads.
#
# cmake -DCLUSTERSIM=<binary> -DSCENARIO=<scenario.yaml> -DWORK=<scratch dir> -P determinism.cmake
#
# Runs the scenario with 1 and 2 threads and asserts summary.json and timeseries.csv are
# byte-identical, runs it with another seed and asserts the summary changes, and runs it with
# --trace and checks the trace looks like JSON lines. A run may exit 0 or 1 (a property may miss its
# threshold); 2 or 3 is a failure of the test.

foreach(var CLUSTERSIM SCENARIO WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "determinism.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(clustersim_run label)
  execute_process(COMMAND "${CLUSTERSIM}" run "${SCENARIO}" ${ARGN} --quiet
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0" AND NOT rc STREQUAL "1")
    message(FATAL_ERROR "determinism: run '${label}' (clustersim run ${SCENARIO} ${ARGN} --quiet) "
                        "exited with '${rc}', expected 0 or 1\nstdout:\n${out}\nstderr:\n${err}")
  endif()
endfunction()

clustersim_run("1 thread" --out "${WORK}/t1" --threads 1)
clustersim_run("2 threads" --out "${WORK}/t2" --threads 2)
clustersim_run("seed 7" --out "${WORK}/s7" --seed 7)
clustersim_run("trace" --out "${WORK}/tr" --trace "${WORK}/trace.jsonl")

foreach(dir t1 t2 s7 tr)
  if(NOT EXISTS "${WORK}/${dir}/summary.json")
    message(FATAL_ERROR "determinism: ${WORK}/${dir}/summary.json was not written")
  endif()
endforeach()

# Every file of the results folder must be the same bytes with 1 and 2 threads.
function(same_bytes file)
  file(SHA256 "${WORK}/t1/${file}" a)
  file(SHA256 "${WORK}/t2/${file}" b)
  if(a STREQUAL b)
    return()
  endif()
  # Name the first line that differs, so the failure says what changed with the threads.
  file(STRINGS "${WORK}/t1/${file}" l1)
  file(STRINGS "${WORK}/t2/${file}" l2)
  list(LENGTH l1 n1)
  list(LENGTH l2 n2)
  set(where "the files differ in length (${n1} and ${n2} lines)")
  if(n1 LESS n2)
    set(n ${n1})
  else()
    set(n ${n2})
  endif()
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      list(GET l1 ${i} x)
      list(GET l2 ${i} y)
      if(NOT x STREQUAL y)
        math(EXPR line "${i} + 1")
        set(where "line ${line}: '${x}' with 1 thread, '${y}' with 2")
        break()
      endif()
    endforeach()
  endif()
  message(FATAL_ERROR "determinism: ${file} differs between --threads 1 and --threads 2 "
                      "(sha256 ${a} vs ${b}); ${where}")
endfunction()

foreach(f summary.json timeseries.csv replications.csv)
  if(NOT EXISTS "${WORK}/t1/${f}" OR NOT EXISTS "${WORK}/t2/${f}")
    message(FATAL_ERROR "determinism: ${f} was not written by both runs")
  endif()
  same_bytes(${f})
endforeach()
file(SHA256 "${WORK}/t1/summary.json" h1)
file(SHA256 "${WORK}/s7/summary.json" h7)
if(h1 STREQUAL h7)
  message(FATAL_ERROR "determinism: summary.json with --seed 7 is identical to the default seed's "
                      "(sha256 ${h1}): the seed does not reach the simulation")
endif()

set(trace "${WORK}/trace.jsonl")
if(NOT EXISTS "${trace}")
  message(FATAL_ERROR "determinism: --trace ${trace} was not written")
endif()
file(SIZE "${trace}" size)
if(size EQUAL 0)
  message(FATAL_ERROR "determinism: --trace ${trace} is empty")
endif()
file(STRINGS "${trace}" first LIMIT_COUNT 1)
string(FIND "${first}" "{\"t\":" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "determinism: the first line of ${trace} should start with {\"t\":, found: ${first}")
endif()
file(GLOB leftovers "${WORK}/*.tmp.*" "${WORK}/*/*.tmp.*")
if(leftovers)
  message(FATAL_ERROR "determinism: temporary files were left behind: ${leftovers}")
endif()
message(STATUS "determinism: ok (sha256 ${h1})")
