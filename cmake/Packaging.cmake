# Packaging.cmake: the Debian package (CPack's DEB generator), included at the
# end of CMakeLists.txt.
#
#   cmake --build build --target package
#
# makes build/wireshark-plugin-fcgi_<version>+ws<major.minor>_<arch>.deb.  It
# installs fcgi.so into the global plugin folder of the Wireshark it was built
# against (taken from Wireshark's CMake config, e.g.
# /usr/lib/x86_64-linux-gnu/wireshark/plugins/4.0/epan on Debian 12) and
# depends on the Debian package that holds that libwireshark (libwireshark16
# for 4.0), limited to that Wireshark release series, so that apt refuses it
# where Wireshark has another ABI instead of Wireshark skipping the plugin.

# The plugin's version, from its one place: moduleinfo.h.
file(STRINGS "${CMAKE_SOURCE_DIR}/moduleinfo.h" _fcgi_version_line
     REGEX "^#define[ \t]+PLUGIN_VERSION[ \t]+\"[^\"]+\"")
string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" FCGI_VERSION "${_fcgi_version_line}")
if(NOT FCGI_VERSION MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
  message(FATAL_ERROR "moduleinfo.h: no PLUGIN_VERSION \"X.Y.Z\" found")
endif()

# The global plugin folder, relative to Wireshark's install prefix.
file(RELATIVE_PATH _fcgi_deb_plugin_dir "${Wireshark_INSTALL_PREFIX}" "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
# Only in the package (and `cmake --install build --component deb`), never in
# a plain `cmake --install build`.
install(TARGETS fcgi LIBRARY DESTINATION "${_fcgi_deb_plugin_dir}" COMPONENT deb EXCLUDE_FROM_ALL)

# The Debian package holding the libwireshark we link against, found by asking
# dpkg who owns the library file of the imported target epan.
set(_fcgi_libwireshark "")
get_target_property(_fcgi_epan_configs epan IMPORTED_CONFIGURATIONS)
foreach(_cfg "" ${_fcgi_epan_configs})
  if(_cfg)
    get_target_property(_loc epan "IMPORTED_LOCATION_${_cfg}")
  else()
    get_target_property(_loc epan IMPORTED_LOCATION)
  endif()
  if(_loc)
    set(_fcgi_libwireshark "${_loc}")
    break()
  endif()
endforeach()
set(_fcgi_deb_lib_package "")
find_program(FCGI_DPKG_QUERY dpkg-query)
if(_fcgi_libwireshark AND FCGI_DPKG_QUERY)
  get_filename_component(_fcgi_libwireshark "${_fcgi_libwireshark}" REALPATH)
  execute_process(COMMAND "${FCGI_DPKG_QUERY}" -S "${_fcgi_libwireshark}"
                  OUTPUT_VARIABLE _owner RESULT_VARIABLE _rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_rc EQUAL 0 AND _owner MATCHES "^([^:, ]+)(:[^:, ]+)?: ")
    set(_fcgi_deb_lib_package "${CMAKE_MATCH_1}")
  endif()
endif()
math(EXPR _fcgi_next_minor "${Wireshark_MINOR_VERSION} + 1")
if(_fcgi_deb_lib_package)
  # As Debian's own shlibs file for it: (>= the version built against); and
  # below the next Wireshark release series.
  set(_fcgi_deb_depends
      "${_fcgi_deb_lib_package} (>= ${Wireshark_VERSION}), ${_fcgi_deb_lib_package} (<< ${Wireshark_MAJOR_VERSION}.${_fcgi_next_minor}~)")
else()
  set(_fcgi_deb_depends "")
endif()
set(FCGI_DEB_DEPENDS "${_fcgi_deb_depends}" CACHE STRING
    "Depends: of the Debian package (default: the dpkg package owning libwireshark)")

if(FCGI_DEB_DEPENDS)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME wireshark-plugin-fcgi)
  set(CPACK_PACKAGE_VERSION "${FCGI_VERSION}")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "FastCGI dissector plugin for Wireshark and TShark")
  set(CPACK_DEBIAN_PACKAGE_VERSION "${FCGI_VERSION}+ws${WS_MAJMIN}")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${FCGI_DEB_DEPENDS}")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tshark | wireshark")
  set(CPACK_DEBIAN_PACKAGE_SECTION net)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_PACKAGE_CONTACT "fcgi plugin developers")
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
      "Makes FastCGI traffic (web servers talking to php-fpm, fcgiwrap and other
FastCGI applications) analysable per request: parameters, bodies, CGI
status and headers, stderr output, timing, statistics and Export Objects.
Replaces Wireshark's built-in FCGI dissector. Built for Wireshark ${WS_MAJMIN}.")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_STRIP_FILES ON)
  set(CPACK_PACKAGING_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}")
  # Only the component above goes into the package.
  set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};fcgi;deb;/")
  set(CPACK_OUTPUT_FILE_PREFIX "${CMAKE_BINARY_DIR}")
  include(CPack)
  message(STATUS "Debian package: wireshark-plugin-fcgi ${CPACK_DEBIAN_PACKAGE_VERSION}, "
                 "${Wireshark_INSTALL_PREFIX}/${_fcgi_deb_plugin_dir}, Depends: ${FCGI_DEB_DEPENDS}")
  if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    message(STATUS "Debian package: no CMAKE_BUILD_TYPE, so the package would hold an unoptimised "
                   "fcgi.so; configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo (or Release) for it")
  endif()
else()
  message(STATUS "Debian package: not available (libwireshark is not from a Debian package; "
                 "set FCGI_DEB_DEPENDS to make one)")
endif()
