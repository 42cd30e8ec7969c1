# Tests of the diagrams beyond the C unit tests: the cjm command's render,
# convert and check, run as a user would (Debian's Python drives them).
#
# Graphviz and the font libraries under it lose some memory on their own
# in every layout; under LeakSanitizer the diagram tests suppress exactly
# those allocations, named in cli/lsan-graphviz.supp, and nothing else.
set(CJM_RENDER_LSAN
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/cli/lsan-graphviz.supp:print_suppressions=0:fast_unwind_on_malloc=0")
foreach(t test_render test_cov_render test_locale)
    if(TEST ${t})
        set_tests_properties(${t} PROPERTIES
            ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout;${CJM_RENDER_LSAN}")
    endif()
endforeach()
if(TARGET cjm_tool)
    add_test(NAME test_cli
        COMMAND ${CJM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli.py
                $<TARGET_FILE:cjm_tool> ${PROJECT_SOURCE_DIR}
                ${CMAKE_CURRENT_BINARY_DIR}/scratch-cli)
    set_tests_properties(test_cli PROPERTIES TIMEOUT 600 ENVIRONMENT "${CJM_RENDER_LSAN}")
endif()
