# One precompiled header (common/precompiled.h: grpc++, protobuf, Abseil,
# CLI11) built once and reused by every C++ target of the
# tree: parsing those headers is most of each file's compile time.
# UPLIFT_PCH=OFF builds without it.
option(UPLIFT_PCH "Reuse one precompiled header of the third-party headers" ON)

function(uplift_pch_owner)
  if(NOT UPLIFT_PCH)
    return()
  endif()
  add_library(uplift_pch STATIC ${CMAKE_SOURCE_DIR}/cmake/pch_owner.cc)
  # Only libraries that add no compile definitions: a definition the PCH was
  # built with and a user of it lacks makes the compiler ignore it.
  target_link_libraries(uplift_pch PUBLIC PkgConfig::GRPCPP protobuf::libprotobuf CLI11::CLI11
                        absl::status absl::statusor absl::strings absl::time)
  target_precompile_headers(uplift_pch PRIVATE ${CMAKE_SOURCE_DIR}/common/precompiled.h)
endfunction()

# Every buildable C++ target below `dir` reuses the owner's header.
function(uplift_pch_reuse dir)
  if(NOT UPLIFT_PCH)
    return()
  endif()
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(NOT t STREQUAL "uplift_pch" AND type MATCHES "^(STATIC_LIBRARY|EXECUTABLE|OBJECT_LIBRARY)$")
      target_precompile_headers(${t} REUSE_FROM uplift_pch)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(d ${subdirs})
    uplift_pch_reuse(${d})
  endforeach()
endfunction()
