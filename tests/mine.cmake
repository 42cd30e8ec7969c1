# Mining checked against an independent reading of the same logs: the
# standard-library Python script tests/xes_reference.py counts what
# `cjm mine --json` counts, on the fixtures and on every public log in
# ../shared/data/xes (skipped with a message when that folder is absent).
set(CJM_MINE_REFERENCE ${CMAKE_CURRENT_SOURCE_DIR}/xes_reference.py)
set(CJM_XES_DATA ${PROJECT_SOURCE_DIR}/../shared/data/xes)

if(TARGET cjm_tool)
    file(GLOB CJM_XES_FIXTURES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/xes/*.xes)
    foreach(log ${CJM_XES_FIXTURES})
        get_filename_component(name ${log} NAME_WE)
        add_test(NAME mine_reference_fixture_${name}
            COMMAND ${CJM_PYTHON3} ${CJM_MINE_REFERENCE} --compare $<TARGET_FILE:cjm_tool> ${log})
        add_test(NAME mine_reference_fixture_${name}_keys
            COMMAND ${CJM_PYTHON3} ${CJM_MINE_REFERENCE} --compare $<TARGET_FILE:cjm_tool> ${log}
                    --keys concept:name,lifecycle:transition --channel-key channel)
    endforeach()

    set(CJM_XES_LOGS running-example.xes roadtraffic50traces.xes xes_20.xes
        helpdesk.xes.gz bpic2012.xes.gz)
    foreach(log ${CJM_XES_LOGS})
        string(REGEX REPLACE "[.].*$" "" name ${log})
        # The script itself says "skipped: ... is absent" and exits 77 without the data.
        add_test(NAME mine_reference_${name}
            COMMAND ${CJM_PYTHON3} ${CJM_MINE_REFERENCE} --compare $<TARGET_FILE:cjm_tool>
                    ${CJM_XES_DATA}/${log})
        add_test(NAME mine_reference_${name}_classifier
            COMMAND ${CJM_PYTHON3} ${CJM_MINE_REFERENCE} --compare $<TARGET_FILE:cjm_tool>
                    ${CJM_XES_DATA}/${log} --keys concept:name,lifecycle:transition
                    --channel-key org:resource)
        set_tests_properties(mine_reference_${name} mine_reference_${name}_classifier
            PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
    endforeach()

    # The command line: help, usage errors, exit codes, Journey XML out.
    add_test(NAME mine_cli
        COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/xes/check_cli.sh $<TARGET_FILE:cjm_tool>
                ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/xes ${CMAKE_CURRENT_BINARY_DIR}/mine-cli)
endif()
