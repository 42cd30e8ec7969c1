# Hostile inputs, fault injection and fuzz regressions in the normal test run.
#
# - test_hostile (tests/test_hostile.c) gets the generators of tests/hostile/;
# - hostile_gen writes the same inputs to a directory for the command-line
#   tests, which run `cjm check` and `cjm mine` on each under strace and a
#   memory limit (tests/hostile/cli.sh);
# - every fuzz target is also built as replay_<name>, a plain program that
#   feeds it the seed corpus and the regression inputs of fuzz/.
pkg_check_modules(CJM_ZLIB REQUIRED IMPORTED_TARGET zlib)

add_library(cjm_hostile_gen STATIC ${CMAKE_CURRENT_SOURCE_DIR}/hostile/gen.c)
target_include_directories(cjm_hostile_gen PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/hostile)
target_compile_definitions(cjm_hostile_gen PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(cjm_hostile_gen PUBLIC PkgConfig::CJM_ZLIB PRIVATE cjm_flags)

add_executable(hostile_gen ${CMAKE_CURRENT_SOURCE_DIR}/hostile/hostile_gen.c)
target_link_libraries(hostile_gen PRIVATE cjm_hostile_gen cjm_flags)

if(TARGET test_hostile)
    target_link_libraries(test_hostile PRIVATE cjm_hostile_gen)
    target_include_directories(test_hostile PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
endif()

# The thread test draws SVG: under LeakSanitizer it needs the same named
# Graphviz and font-library suppressions as the diagram tests, matched on
# whole stacks (Debian's Graphviz has no frame pointers for the fast unwinder).
if(TARGET test_threads)
    set_tests_properties(test_threads PROPERTIES ENVIRONMENT
        "CMOCKA_MESSAGE_OUTPUT=stdout;LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/cli/lsan-graphviz.supp:print_suppressions=0:fast_unwind_on_malloc=0")
endif()

if(TARGET cjm_tool)
    find_program(CJM_STRACE strace)
    add_test(NAME test_hostile_cli
        COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/hostile/cli.sh
                $<TARGET_FILE:cjm_tool> $<TARGET_FILE:hostile_gen>
                ${CMAKE_CURRENT_BINARY_DIR}/scratch-hostile-cli "${CJM_STRACE}")
    set_tests_properties(test_hostile_cli PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
endif()

file(GLOB CJM_FUZZ_TARGETS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${CJM_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" short ${name})
    add_executable(replay_${short} ${src} ${PROJECT_SOURCE_DIR}/fuzz/replay.c)
    target_compile_definitions(replay_${short} PRIVATE _POSIX_C_SOURCE=200809L
        "REPLAY_DIRS=\"${PROJECT_SOURCE_DIR}/fuzz/corpus/${short}\",\"${PROJECT_SOURCE_DIR}/fuzz/regressions/${short}\"")
    target_link_libraries(replay_${short} PRIVATE cjm_static cjm_flags)
    add_test(NAME test_fuzz_replay_${short} COMMAND replay_${short})
endforeach()
