# SPDX-License-Identifier: Apache-2.0
# Command-line tests of `ccprov provision`: every tests/provision/*.sh runs
# with the ccprov binary as its argument. Included from tests/CMakeLists.txt.
file(GLOB CCPROV_PROVISION_SCRIPTS CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_LIST_DIR}/provision/*.sh)
foreach(script ${CCPROV_PROVISION_SCRIPTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME provision.${name} COMMAND bash ${script} $<TARGET_FILE:ccprov>)
  set_tests_properties(provision.${name} PROPERTIES
    ENVIRONMENT "CCPROV_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    TIMEOUT 120)
endforeach()
