# The analyses' command-line tests (tests/test_analysis_cli.c) run the cjm command.
if(TARGET cjm_tool AND TARGET test_analysis_cli)
    add_dependencies(test_analysis_cli cjm_tool)
    set_tests_properties(test_analysis_cli PROPERTIES
        ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout;CJM_TOOL=$<TARGET_FILE:cjm_tool>")
endif()
