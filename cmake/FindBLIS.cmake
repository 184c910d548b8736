# BLIS, single-threaded build (Debian 12: libblis-serial-dev, which installs it beside the
# threaded builds under <libdir>/blis-serial). Creates BLIS::BLIS (the static archive, so the
# program needs no library path at run time) with its own cblas.h first on the include path.
find_path(BLIS_INCLUDE_DIR NAMES blis.h PATH_SUFFIXES blis-serial x86_64-linux-gnu/blis-serial
          aarch64-linux-gnu/blis-serial)
find_library(BLIS_LIBRARY NAMES libblis.a PATH_SUFFIXES blis-serial x86_64-linux-gnu/blis-serial
             aarch64-linux-gnu/blis-serial)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BLIS REQUIRED_VARS BLIS_LIBRARY BLIS_INCLUDE_DIR)
if(BLIS_FOUND AND NOT TARGET BLIS::BLIS)
  find_package(Threads REQUIRED)
  add_library(BLIS::BLIS STATIC IMPORTED)
  set_target_properties(BLIS::BLIS PROPERTIES IMPORTED_LOCATION "${BLIS_LIBRARY}"
                                              INTERFACE_INCLUDE_DIRECTORIES "${BLIS_INCLUDE_DIR}"
                                              INTERFACE_LINK_LIBRARIES "Threads::Threads;m")
endif()
mark_as_advanced(BLIS_INCLUDE_DIR BLIS_LIBRARY)
