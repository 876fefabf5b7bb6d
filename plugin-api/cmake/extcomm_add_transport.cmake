# extcomm_add_transport(<target> SOURCES <src>... [OUTPUT_DIRECTORY <dir>])
#
# Builds a transport plugin: a MODULE library with hidden visibility that links the SDK and exports
# only the entry symbol (a linker version script makes sure of it). The file is named <target>.so (no
# "lib" prefix), which is what the host lists.
function(extcomm_add_transport target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "extcomm_add_transport(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE extcomm::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT ARG_OUTPUT_DIRECTORY AND DEFINED EXTCOMM_PLUGIN_OUTPUT_DIR)
    set(ARG_OUTPUT_DIRECTORY ${EXTCOMM_PLUGIN_OUTPUT_DIR})
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  # A transport must not depend on symbols it expects the host to provide.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  # Export the entry symbol and nothing else [R1]: hidden visibility alone still lets the standard
  # library's template instantiations out as weak symbols.
  set(_map ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports)
  file(WRITE ${_map} "{\n  global: extcomm_transport_entry;\n  local: *;\n};\n")
  target_link_options(${target} PRIVATE "LINKER:--version-script=${_map}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${_map})
endfunction()
