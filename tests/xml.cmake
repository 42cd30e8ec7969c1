# Journey XML against its schema: the fixtures, the examples and what the
# writer produced in test_xml (tests/xml-out), each validated by xmllint.
# Included by tests/CMakeLists.txt to define the test; run with -P to check.
if(CMAKE_SCRIPT_MODE_FILE)
    set(schema ${SRC}/doc/schema/cjm-journey-1.xsd)
    file(GLOB good ${SRC}/tests/fixtures/xml/*.xml ${SRC}/examples/*.xml ${OUT}/*.xml)
    file(GLOB bad ${SRC}/tests/fixtures/xml/invalid/*.xml)
    list(LENGTH good count)
    if(count EQUAL 0)
        message(FATAL_ERROR "no Journey XML files found to validate")
    endif()
    foreach(f ${good})
        execute_process(COMMAND ${XMLLINT} --noout --nonet --schema ${schema} ${f}
            RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "${f} does not validate:\n${out}")
        endif()
    endforeach()
    # The schema must also refuse what the format forbids.
    foreach(f ${bad})
        execute_process(COMMAND ${XMLLINT} --noout --nonet --schema ${schema} ${f}
            RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
        if(rc EQUAL 0)
            message(FATAL_ERROR "${f} validates but should not")
        endif()
    endforeach()
    message(STATUS "${count} file(s) validate against ${schema}")
    return()
endif()

find_program(CJM_XMLLINT xmllint)
if(CJM_XMLLINT)
    add_test(NAME test_xml_schema
        COMMAND ${CMAKE_COMMAND} -DXMLLINT=${CJM_XMLLINT} -DSRC=${PROJECT_SOURCE_DIR}
                -DOUT=${CMAKE_CURRENT_BINARY_DIR}/xml-out -P ${CMAKE_CURRENT_LIST_FILE})
    if(TEST test_xml)
        set_tests_properties(test_xml PROPERTIES FIXTURES_SETUP cjm_xml_out)
        set_tests_properties(test_xml_schema PROPERTIES FIXTURES_REQUIRED cjm_xml_out)
    endif()
else()
    message(STATUS "xmllint not found: Journey XML files are not checked against the schema")
endif()
