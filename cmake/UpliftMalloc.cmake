# uplift_use_tcmalloc(target): links a service binary with tcmalloc
# (Debian's libtcmalloc-minimal4). Every service allocates per request on
# many threads at once (protobuf messages, SQLite rows, gRPC buffers);
# tcmalloc's per-thread caches cut that cost (docs/web.md and
# docs/notify.md, Performance). Not under the sanitizers, which bring their
# own allocator.
function(uplift_use_tcmalloc target)
  if(UPLIFT_SANITIZE)
    return()
  endif()
  # The -dev package only adds the unversioned symlink.
  find_library(TCMALLOC_LIB NAMES tcmalloc_minimal libtcmalloc_minimal.so.4 REQUIRED)
  target_link_libraries(${target} ${TCMALLOC_LIB})
endfunction()
