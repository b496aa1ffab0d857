# invalid_scenarios.cmake -- every bad scenario is rejected with its exact first error line.
#
# Run as a script: cmake -DCLUSTERSIM=<binary> -DCASES=<dir> -P invalid_scenarios.cmake
# Each subdirectory of CASES holds input.yaml (plus any file it refers to) and `expected`, the
# first line `clustersim validate input.yaml` must print on stderr when run from inside that
# directory, so the file name in the message is the relative one a user would type. The exit
# status must be 2 (bad input). Every mismatch is listed before the script fails.
cmake_minimum_required(VERSION 3.18)

if(NOT DEFINED CLUSTERSIM OR NOT DEFINED CASES)
  message(FATAL_ERROR "usage: cmake -DCLUSTERSIM=<binary> -DCASES=<dir> -P invalid_scenarios.cmake")
endif()
if(NOT EXISTS "${CLUSTERSIM}")
  message(FATAL_ERROR "no clustersim binary at ${CLUSTERSIM}")
endif()

file(GLOB entries LIST_DIRECTORIES true "${CASES}/*")
list(SORT entries)
set(failures "")
set(checked 0)
foreach(dir ${entries})
  if(NOT IS_DIRECTORY "${dir}")
    continue()
  endif()
  get_filename_component(name "${dir}" NAME)
  if(NOT EXISTS "${dir}/input.yaml" OR NOT EXISTS "${dir}/expected")
    string(APPEND failures "  ${name}: needs both input.yaml and expected\n")
    continue()
  endif()

  # The expected line is the file's first line, without its newline. Strings, not lists:
  # messages hold brackets and may hold semicolons, which CMake lists would mangle.
  file(READ "${dir}/expected" expected)
  string(FIND "${expected}" "\n" eol)
  if(NOT eol EQUAL -1)
    string(SUBSTRING "${expected}" 0 ${eol} expected)
  endif()
  if(expected STREQUAL "")
    string(APPEND failures "  ${name}: `expected` is empty\n")
    continue()
  endif()

  execute_process(COMMAND "${CLUSTERSIM}" validate input.yaml
                  WORKING_DIRECTORY "${dir}"
                  RESULT_VARIABLE status
                  OUTPUT_VARIABLE out
                  ERROR_VARIABLE err
                  TIMEOUT 60)
  # The first line of stderr, exactly (regex-free, so brackets and quotes need no escaping).
  string(FIND "${err}" "\n" eol)
  if(eol EQUAL -1)
    set(first "${err}")
  else()
    string(SUBSTRING "${err}" 0 ${eol} first)
  endif()

  if(NOT "${status}" STREQUAL "2")
    string(APPEND failures "  ${name}: exit status ${status}, want 2\n    stderr: ${first}\n")
  elseif(NOT "${first}" STREQUAL "${expected}")
    string(APPEND failures "  ${name}:\n    want: ${expected}\n    got:  ${first}\n")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()

if(checked EQUAL 0 AND failures STREQUAL "")
  message(FATAL_ERROR "no cases found in ${CASES}")
endif()
if(NOT failures STREQUAL "")
  message(FATAL_ERROR "invalid scenarios that did not fail as expected:\n${failures}")
endif()
message(STATUS "${checked} invalid scenarios rejected as expected")
