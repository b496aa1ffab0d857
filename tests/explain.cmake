# explain.cmake -- `clustersim explain` end to end: the table of a known scenario (exit 0, a
# known row), and an unknown pod (exit 2 with a did-you-mean of the workload names).
# Run as: cmake -DCLUSTERSIM=... -DSCENARIO=... -P explain.cmake
execute_process(COMMAND ${CLUSTERSIM} explain ${SCENARIO} --pod api
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "explain --pod api: exit ${rc}, expected 0\n${out}${err}")
endif()
foreach(line "numFeasibleNodesToFind: 4 of 4 nodes; examined 4, feasible 2"
             "  small-0  filtered by NodeResourcesFit: Insufficient cpu"
             "bound to big-0: the highest total, 875")
  string(FIND "${out}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "explain --pod api: no line '${line}' in:\n${out}")
  endif()
endforeach()
if(NOT out MATCHES "\n\\* big-0 [^\n]* 875  chosen\n")
  message(FATAL_ERROR "explain --pod api: big-0 is not marked chosen with 875 in:\n${out}")
endif()

execute_process(COMMAND ${CLUSTERSIM} explain ${SCENARIO} --pod apj-2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "explain --pod apj-2: exit ${rc}, expected 2\n${out}${err}")
endif()
string(FIND "${err}" "did you mean 'api'?" at)
if(at EQUAL -1)
  message(FATAL_ERROR "explain --pod apj-2: no did-you-mean in:\n${err}")
endif()
