# mpi.cmake -- `mpirun -np K clustersim run` writes the same summary.json and timeseries.csv
# bytes as one process with the same seed, however the replications were handed out: plain,
# with --precision (batches across the ranks), with 2 threads in each rank, with 3 ranks, and
# with a failing property (exit 1 through mpirun, the summary still written).
#
# cmake -DCLUSTERSIM=<binary> -DMPIRUN=<mpirun> -DQUICKSTART=<quickstart.yaml>
#       -DPOLICY=<policy-least.yaml> -DFAILS=<fails/input.yaml> -DFLEET=<mpi/fleet.yaml>
#       -DWORK=<scratch dir> [-DHOOKS=ON] -P mpi.cmake
#
# Only the `fails` case exits 1: mpirun takes about a second longer over a non-zero exit.
# With HOOKS (a CS_TEST_HOOKS build) a replication made to fail on either rank must end the
# job with exit 3 rather than hang it.
#
# --allow-run-as-root: Open MPI 4.1 refuses to start as root without it (or without both
# OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1), and CI runs as root.
# --oversubscribe: more ranks than cores is allowed (the CI machine has two).
# --bind-to none: with 2 threads per rank, both threads must not be pinned to one core.

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(MPIRUN_FLAGS --oversubscribe --allow-run-as-root --bind-to none)

function(run_once label want)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc MATCHES "^(${want})$")
    message(FATAL_ERROR "mpi: ${label}: '${ARGN}' exited '${rc}', expected ${want}\nstdout:\n${o}\nstderr:\n${e}")
  endif()
endfunction()

# Fails unless each file named in ARGN has the same bytes in folders a and b.
function(same_files label a b)
  foreach(f ${ARGN})
    file(SHA256 "${a}/${f}" ha)
    file(SHA256 "${b}/${f}" hb)
    if(NOT ha STREQUAL hb)
      message(FATAL_ERROR "mpi: ${label}: ${f} differs between one process and the ranks")
    endif()
  endforeach()
  message(STATUS "mpi: ${label}: same bytes")
endfunction()

# Runs SCENARIO once alone and once under mpirun -np `ranks` (the rest of ARGN are run
# options), expects exit `want` from both and the same summary.json and timeseries.csv bytes.
function(same_bytes_on ranks label want threads scenario)
  run_once("${label}, one process" ${want} "${CLUSTERSIM}" run "${scenario}" ${ARGN} --quiet --no-plots
           --out "${WORK}/${label}-1")
  run_once("${label}, ${ranks} ranks" ${want} ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=${threads}
           "${MPIRUN}" ${MPIRUN_FLAGS} -np ${ranks} "${CLUSTERSIM}" run "${scenario}" ${ARGN} --quiet --no-plots
           --out "${WORK}/${label}-2")
  same_files("${label}" "${WORK}/${label}-1" "${WORK}/${label}-2" timeseries.csv replications.csv summary.json)
endfunction()
function(same_bytes)
  same_bytes_on(2 ${ARGN})
endfunction()

same_bytes(plain 0 1 "${QUICKSTART}" --reps 101)
same_bytes(precision 0 1 "${POLICY}" --precision 0.01 --reps 5000)
same_bytes(threads 0 2 "${QUICKSTART}" --reps 200 --seed 9)
same_bytes(fails 1 1 "${FAILS}")
# Many grants: 5000 replications go out in guided blocks of 256 down to 1, and come back in
# messages of 32 results, out of order between the ranks.
same_bytes(blocks "0|1" 1 "${QUICKSTART}" --reps 5000)
# 3 ranks of 2 threads each (6 threads on the CI machine's 2 cores): results arrive from two
# ranks at once, each packed by either of its threads.
same_bytes_on(3 ranks3 "0|1" 2 "${QUICKSTART}" --reps 3000 --seed 4)

# Every rank is handed work, and it all comes back: the readable summary says how many
# replications each rank ran (1000 of about 0.2 ms each, so rank 1 asks long before rank 0
# could have run them all), and the bytes are still those of one process.
same_bytes(fleet 0 1 "${FLEET}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=1 "${MPIRUN}" ${MPIRUN_FLAGS} -np 2 "${CLUSTERSIM}"
                        run "${FLEET}" --no-plots --out "${WORK}/fleet-shares"
                RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
if(NOT rc EQUAL 0 OR NOT o MATCHES "MPI: 2 ranks ran ([0-9]+), ([0-9]+) replications \\(rank 0 first\\)")
  message(FATAL_ERROR "mpi: fleet: exit ${rc}, no line on the ranks' shares\nstdout:\n${o}\nstderr:\n${e}")
endif()
set(r0 ${CMAKE_MATCH_1})
set(r1 ${CMAKE_MATCH_2})
math(EXPR sum "${r0} + ${r1}")
if(NOT sum EQUAL 1000 OR r0 EQUAL 0 OR r1 EQUAL 0)
  message(FATAL_ERROR "mpi: fleet: the ranks ran ${r0} and ${r1} replications; expected 1000 in all, some on each")
endif()
same_files("fleet, its shares" "${WORK}/fleet-1" "${WORK}/fleet-shares" timeseries.csv summary.json)
message(STATUS "mpi: fleet: rank 0 ran ${r0}, rank 1 ${r1}")

# A replication that fails (out of memory, injected by a CS_TEST_HOOKS build) on rank 0, or on
# rank 1, with 1 and with 2 threads a rank: the handing out stops, every rank drains and
# leaves, and the job exits 3 with the message and no summary.json, instead of hanging.
if(HOOKS)
  foreach(k 0 1)
    foreach(t 1 2)
      execute_process(COMMAND ${CMAKE_COMMAND} -E env CLUSTERSIM_FAIL_ON_RANK=${k} OMP_NUM_THREADS=${t}
                              "${MPIRUN}" ${MPIRUN_FLAGS} -np 2 "${CLUSTERSIM}" run "${FLEET}" --quiet --no-plots
                              --out "${WORK}/fail-${k}-${t}"
                      RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e TIMEOUT 120)
      if(NOT rc STREQUAL "3" OR NOT e MATCHES "clustersim: error: out of memory" OR
         EXISTS "${WORK}/fail-${k}-${t}/summary.json")
        message(FATAL_ERROR "mpi: a failure on rank ${k} (${t} threads): exit '${rc}', expected 3 with the message "
                            "and no summary.json\nstdout:\n${o}\nstderr:\n${e}")
      endif()
    endforeach()
  endforeach()
  message(STATUS "mpi: a failure on either rank ends the job with exit 3")
endif()

file(READ "${WORK}/precision-2/summary.json" json)
string(JSON batches GET "${json}" stopping batches)
if(batches LESS 2)
  message(FATAL_ERROR "mpi: --precision ran ${batches} batch(es); the test means to cross batches")
endif()

# More ranks than replications: replication 0 is always rank 0's, which alone writes the
# trace, so the trace (and the summary) are those of one process; rank 2 gets an empty grant.
run_once("trace, one process" 0 "${CLUSTERSIM}" run "${POLICY}" --reps 2 --quiet --no-plots --out "${WORK}/trace-1"
         --trace "${WORK}/trace-1/trace.jsonl")
run_once("trace, 3 ranks" 0 "${MPIRUN}" ${MPIRUN_FLAGS} -np 3 "${CLUSTERSIM}" run "${POLICY}" --reps 2 --quiet --no-plots
         --out "${WORK}/trace-3" --trace "${WORK}/trace-3/trace.jsonl")
same_files("3 ranks, 2 replications" "${WORK}/trace-1" "${WORK}/trace-3" trace.jsonl summary.json)
file(SIZE "${WORK}/trace-3/trace.jsonl" size)
if(size EQUAL 0)
  message(FATAL_ERROR "mpi: 3 ranks, 2 replications: the trace is empty")
endif()
