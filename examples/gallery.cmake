# Draws every journey of every examples/*.xml as SVG with the cjm command and
# writes an index.html that shows them all. Run as a script:
#
#   cmake -DCJM=path/to/cjm -DEXAMPLES=examples -DOUT=build/gallery -P gallery.cmake
#
# The examples are found when the script runs, so a new example appears in
# the gallery without configuring again. The index's path is printed last.
cmake_minimum_required(VERSION 3.18)

foreach(var CJM EXAMPLES OUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "gallery.cmake needs -D${var}=...")
    endif()
endforeach()

function(html_escape text out)
    string(REPLACE "&" "&amp;" text "${text}")
    string(REPLACE "<" "&lt;" text "${text}")
    string(REPLACE ">" "&gt;" text "${text}")
    string(REPLACE "\"" "&quot;" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Undoes the five XML entities, for titles and labels read out of the files.
function(xml_unescape text out)
    string(REPLACE "&lt;" "<" text "${text}")
    string(REPLACE "&gt;" ">" text "${text}")
    string(REPLACE "&quot;" "\"" text "${text}")
    string(REPLACE "&apos;" "'" text "${text}")
    string(REPLACE "&amp;" "&" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
file(GLOB examples "${EXAMPLES}/*.xml")
list(SORT examples)

set(body "")
set(drawn 0)
set(failed 0)
foreach(example ${examples})
    get_filename_component(base "${example}" NAME_WE)
    file(READ "${example}" xml)

    # The map's title: the first <title> of the document.
    set(title "${base}")
    if(xml MATCHES "<title>([^<]*)</title>")
        xml_unescape("${CMAKE_MATCH_1}" title)
    endif()
    html_escape("${title}" title_html)
    string(APPEND body "  <section id=\"${base}\">\n    <h2>${title_html}</h2>\n"
                       "    <p class=\"file\">${base}.xml</p>\n")

    # Each journey's id and label, in document order.
    string(REGEX MATCHALL "<journey[ \t\r\n][^>]*>([ \t\r\n]*<label>[^<]*</label>)?" journeys "${xml}")
    foreach(journey ${journeys})
        if(NOT journey MATCHES "[ \t\r\n]id=\"([^\"]+)\"")
            continue()
        endif()
        set(id "${CMAKE_MATCH_1}")
        set(label "${id}")
        if(journey MATCHES "<label>([^<]*)</label>")
            xml_unescape("${CMAKE_MATCH_1}" label)
        endif()
        set(status "planned")
        if(journey MATCHES "status=\"actual\"")
            set(status "actual")
        endif()
        string(MAKE_C_IDENTIFIER "${base}-${id}" stem)
        set(svg "${stem}.svg")
        execute_process(COMMAND "${CJM}" render "${example}" -o "${OUT}/${svg}" --journey "${id}"
                        RESULT_VARIABLE rc ERROR_VARIABLE err)
        html_escape("${label}" label_html)
        if(rc EQUAL 0)
            math(EXPR drawn "${drawn} + 1")
            string(APPEND body
                "    <figure>\n"
                "      <figcaption>${label_html} <span class=\"status\">${status}</span>"
                " <a href=\"${svg}\">open</a></figcaption>\n"
                "      <object data=\"${svg}\" type=\"image/svg+xml\">"
                "<a href=\"${svg}\">${label_html}</a></object>\n"
                "    </figure>\n")
        else()
            math(EXPR failed "${failed} + 1")
            string(STRIP "${err}" err)
            html_escape("${err}" err_html)
            message(WARNING "${base}.xml, journey ${id}: ${err}")
            string(APPEND body "    <p class=\"error\">${label_html}: ${err_html}</p>\n")
        endif()
    endforeach()
    string(APPEND body "  </section>\n")
endforeach()

if(NOT examples)
    set(body "  <p>There are no examples/*.xml to draw.</p>\n")
endif()

file(WRITE "${OUT}/index.html"
"<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<title>cjm gallery</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
  h1 { font-weight: normal; }
  section { margin-bottom: 3em; border-top: 1px solid #ccc; }
  .file, .status { color: #777; font-size: 90%; }
  figure { margin: 1em 0; }
  figcaption { margin-bottom: .5em; }
  object { max-width: 100%; border: 1px solid #eee; }
  .error { color: #b00; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Customer journeys: ${drawn} diagrams</h1>
<p>Stages run left to right. The fill shows the perceived score (red 1 to blue 5),
the shape the kind of channel; hover over a touchpoint or arrow for its details.</p>
${body}</body>
</html>
")

if(failed GREATER 0)
    message(FATAL_ERROR "${failed} journey(s) could not be drawn; see ${OUT}/index.html")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E echo "${OUT}/index.html")
