# Components for component_tests, built with the pinned jco (package.json at the repo root;
# `npm ci` installs it into node_modules):
#   tests/component/fixtures/*.wat   -> component/fixtures/*.wasm    (jco parse)
# Without node and node_modules the tests that need them skip.
set(RILL_COMPONENT_FIXTURE_DIR ${CMAKE_CURRENT_BINARY_DIR}/component/fixtures)
set(RILL_JCO_JS ${CMAKE_SOURCE_DIR}/node_modules/@bytecodealliance/jco/dist/jco.js)
find_program(RILL_NODE NAMES node nodejs)
set(RILL_HAVE_JCO 0)
if(RILL_NODE AND EXISTS ${RILL_JCO_JS})
  set(RILL_HAVE_JCO 1)
else()
  message(STATUS "rill: node or node_modules/@bytecodealliance/jco missing (run `npm ci`); component fixture tests will skip")
endif()

set(component_inputs)
if(RILL_HAVE_JCO)
  file(GLOB fixture_wats CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/component/fixtures/*.wat)
  foreach(wat IN LISTS fixture_wats)
    get_filename_component(name ${wat} NAME_WE)
    set(out ${RILL_COMPONENT_FIXTURE_DIR}/${name}.wasm)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${RILL_COMPONENT_FIXTURE_DIR}
      COMMAND ${RILL_NODE} ${RILL_JCO_JS} parse ${wat} -o ${out}
      DEPENDS ${wat}
      COMMENT "component fixture ${name}.wasm")
    list(APPEND component_inputs ${out})
  endforeach()
endif()

if(component_inputs)
  add_custom_target(component_test_inputs ALL DEPENDS ${component_inputs})
  add_dependencies(component_tests component_test_inputs)
endif()
add_dependencies(component_tests rill)
target_compile_definitions(component_tests PRIVATE
  RILL_BINARY="$<TARGET_FILE:rill>"
  RILL_NODE="${RILL_NODE}"
  RILL_WIT_CHECK="${CMAKE_SOURCE_DIR}/tools/wit_check.mjs"
  RILL_COMPONENT_FIXTURE_DIR="${RILL_COMPONENT_FIXTURE_DIR}"
  RILL_HAVE_JCO=${RILL_HAVE_JCO})
