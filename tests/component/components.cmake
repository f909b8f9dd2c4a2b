# Components for component_tests, built with the pinned jco (package.json at the repo root;
# `npm ci` installs it into node_modules) and, for the C guests, clang-19 for wasm32-wasi:
#   tests/component/fixtures/*.wat   -> component/fixtures/*.wasm    (jco parse)
#   guests/component/strings.c + wit -> component/guests/strings.wasm (tools/jco_embed.mjs,
#                                       then jco new --wasi-reactor)
#   guests/component/{hello,files}.c -> component/guests/*.wasm       (jco new --wasi-command)
#   guests/p1/{exit_code,cat,trap,nul_paths,big_write}.c -> component/guests/p1_*.wasm
# Without node and node_modules, or without a wasm32-wasi clang, the tests that need them skip.
set(RILL_COMPONENT_FIXTURE_DIR ${CMAKE_CURRENT_BINARY_DIR}/component/fixtures)
set(RILL_COMPONENT_GUEST_DIR ${CMAKE_CURRENT_BINARY_DIR}/component/guests)
set(RILL_JCO_JS ${CMAKE_SOURCE_DIR}/node_modules/@bytecodealliance/jco/dist/jco.js)
find_program(RILL_NODE NAMES node nodejs)
set(RILL_HAVE_JCO 0)
if(RILL_NODE AND EXISTS ${RILL_JCO_JS})
  set(RILL_HAVE_JCO 1)
else()
  message(STATUS "rill: node or node_modules/@bytecodealliance/jco missing (run `npm ci`); component fixture tests will skip")
endif()

find_program(RILL_COMPONENT_CC NAMES clang-19)
set(RILL_HAVE_COMPONENT_GUESTS 0)
if(RILL_HAVE_JCO AND RILL_COMPONENT_CC)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/component_probe.c "int main(void) { return 0; }\n")
  execute_process(
    COMMAND ${RILL_COMPONENT_CC} --target=wasm32-wasi --sysroot=/usr -O2
            ${CMAKE_CURRENT_BINARY_DIR}/component_probe.c -o ${CMAKE_CURRENT_BINARY_DIR}/component_probe.wasm
    RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_QUIET)
  if(probe_rc EQUAL 0)
    set(RILL_HAVE_COMPONENT_GUESTS 1)
  endif()
endif()
if(RILL_HAVE_JCO AND NOT RILL_HAVE_COMPONENT_GUESTS)
  message(STATUS "rill: clang-19 cannot build wasm32-wasi programs; component guest tests will skip")
endif()

set(component_inputs)
# Encodes every {src_dir}/*.wat into {out_dir}/*.wasm with `jco parse`, appending the outputs
# to component_inputs.
function(rill_jco_parse_all src_dir out_dir)
  file(GLOB wats CONFIGURE_DEPENDS ${src_dir}/*.wat)
  set(outs ${component_inputs})
  foreach(wat IN LISTS wats)
    get_filename_component(name ${wat} NAME_WE)
    set(out ${out_dir}/${name}.wasm)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
      COMMAND ${RILL_NODE} ${RILL_JCO_JS} parse ${wat} -o ${out}
      DEPENDS ${wat}
      COMMENT "jco parse ${name}.wat")
    list(APPEND outs ${out})
  endforeach()
  set(component_inputs ${outs} PARENT_SCOPE)
endfunction()

# WIT printer fixtures (tests/component/fixtures) and the components the run-time tests
# execute (tests/component/wat -> component_wasm/).
set(RILL_COMPONENT_WASM_DIR ${CMAKE_CURRENT_BINARY_DIR}/component_wasm)
if(RILL_HAVE_JCO)
  rill_jco_parse_all(${CMAKE_CURRENT_SOURCE_DIR}/component/fixtures ${RILL_COMPONENT_FIXTURE_DIR})
  rill_jco_parse_all(${CMAKE_CURRENT_SOURCE_DIR}/component/wat ${RILL_COMPONENT_WASM_DIR})
endif()

if(RILL_HAVE_COMPONENT_GUESTS)
  set(src_dir ${CMAKE_SOURCE_DIR}/guests/component)
  set(cflags --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug)
  set(g ${RILL_COMPONENT_GUEST_DIR})
  add_custom_command(
    OUTPUT ${g}/strings.wasm
    COMMAND ${CMAKE_COMMAND} -E make_directory ${g}
    COMMAND ${RILL_COMPONENT_CC} ${cflags} -mexec-model=reactor ${src_dir}/strings.c -o ${g}/strings.core.wasm
    COMMAND ${RILL_NODE} ${CMAKE_SOURCE_DIR}/tools/jco_embed.mjs ${src_dir}/wit/strings.wit strings
            ${g}/strings.core.wasm ${g}/strings.embed.wasm
    COMMAND ${RILL_NODE} ${RILL_JCO_JS} new ${g}/strings.embed.wasm --wasi-reactor -o ${g}/strings.wasm
    DEPENDS ${src_dir}/strings.c ${src_dir}/wit/strings.wit ${CMAKE_SOURCE_DIR}/tools/jco_embed.mjs
    COMMENT "component guest strings.wasm")
  # The isolation pair (wit/peer.wit): peer.c a reactor, caller.c a command importing `describe`.
  foreach(pair IN ITEMS "peer;--wasi-reactor;-mexec-model=reactor" "caller;--wasi-command;")
    list(GET pair 0 name)
    list(GET pair 1 kind)
    list(GET pair 2 model)
    add_custom_command(
      OUTPUT ${g}/${name}.wasm
      COMMAND ${CMAKE_COMMAND} -E make_directory ${g}
      COMMAND ${RILL_COMPONENT_CC} ${cflags} ${model} ${src_dir}/${name}.c -o ${g}/${name}.core.wasm
      COMMAND ${RILL_NODE} ${CMAKE_SOURCE_DIR}/tools/jco_embed.mjs ${src_dir}/wit/peer.wit ${name}
              ${g}/${name}.core.wasm ${g}/${name}.embed.wasm
      COMMAND ${RILL_NODE} ${RILL_JCO_JS} new ${g}/${name}.embed.wasm ${kind} -o ${g}/${name}.wasm
      DEPENDS ${src_dir}/${name}.c ${src_dir}/wit/peer.wit ${CMAKE_SOURCE_DIR}/tools/jco_embed.mjs
      COMMENT "component guest ${name}.wasm (isolation pair)")
    list(APPEND component_inputs ${g}/${name}.wasm)
  endforeach()
  # WASI 0.2 commands: guests/component/{hello,files}.c, and guests/p1/{exit_code,cat,trap,
  # nul_paths,big_write}.c as components (p1_*.wasm) to run the same programs through the adapter.
  set(command_wasms)
  foreach(src IN ITEMS ${src_dir}/hello.c ${src_dir}/files.c
                       ${CMAKE_SOURCE_DIR}/guests/p1/exit_code.c ${CMAKE_SOURCE_DIR}/guests/p1/cat.c
                       ${CMAKE_SOURCE_DIR}/guests/p1/trap.c ${CMAKE_SOURCE_DIR}/guests/p1/nul_paths.c
                       ${CMAKE_SOURCE_DIR}/guests/p1/big_write.c)
    get_filename_component(name ${src} NAME_WE)
    if(src MATCHES "/guests/p1/")
      set(name p1_${name})
    endif()
    add_custom_command(
      OUTPUT ${g}/${name}.wasm
      COMMAND ${CMAKE_COMMAND} -E make_directory ${g}
      COMMAND ${RILL_COMPONENT_CC} ${cflags} ${src} -o ${g}/${name}.core.wasm
      COMMAND ${RILL_NODE} ${RILL_JCO_JS} new ${g}/${name}.core.wasm --wasi-command -o ${g}/${name}.wasm
      DEPENDS ${src}
      COMMENT "component guest ${name}.wasm (WASI 0.2 command)")
    list(APPEND command_wasms ${g}/${name}.wasm)
  endforeach()
  list(APPEND component_inputs ${g}/strings.wasm ${command_wasms})
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
  RILL_COMPONENT_GUEST_DIR="${RILL_COMPONENT_GUEST_DIR}"
  RILL_COMPONENT_WASM_DIR="${RILL_COMPONENT_WASM_DIR}"
  RILL_HAVE_JCO=${RILL_HAVE_JCO}
  RILL_HAVE_COMPONENT_GUESTS=${RILL_HAVE_COMPONENT_GUESTS})
