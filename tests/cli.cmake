# Tests of the diagrams beyond the C unit tests: the cjm command's render,
# convert and check, run as a user would (Debian's Python drives them).
if(TARGET cjm_tool)
    add_test(NAME test_cli
        COMMAND ${CJM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli.py
                $<TARGET_FILE:cjm_tool> ${PROJECT_SOURCE_DIR}
                ${CMAKE_CURRENT_BINARY_DIR}/scratch-cli)
    set_tests_properties(test_cli PROPERTIES TIMEOUT 600)
endif()
