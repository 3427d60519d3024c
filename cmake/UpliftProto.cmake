# uplift_proto_library(<target> PROTOS <files relative to an import root>...
#                      [DEPS <targets>...] [GRPC])
# Generates C++ (and gRPC stubs with GRPC) at build time into the build tree;
# generated code is never checked in.
set(UPLIFT_PROTO_ROOT ${CMAKE_SOURCE_DIR}/protos)
set(UPLIFT_PROTO_THIRD_PARTY ${CMAKE_SOURCE_DIR}/protos/third_party)
set(UPLIFT_GRPC_PROTO_ROOT /usr/share/grpc-proto)
set(UPLIFT_PROTO_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${UPLIFT_PROTO_GEN_DIR})

function(uplift_proto_library target)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  set(hdrs)
  set(abs_protos)
  foreach(proto ${ARG_PROTOS})
    # Resolve the file against the import roots, first match wins.
    set(abs "")
    foreach(root ${UPLIFT_PROTO_ROOT} ${UPLIFT_PROTO_THIRD_PARTY} ${UPLIFT_GRPC_PROTO_ROOT})
      if(NOT abs AND EXISTS ${root}/${proto})
        set(abs ${root}/${proto})
      endif()
    endforeach()
    if(NOT abs)
      message(FATAL_ERROR "proto ${proto} not found under the import roots")
    endif()
    list(APPEND abs_protos ${abs})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    set(file_srcs ${UPLIFT_PROTO_GEN_DIR}/${base}.pb.cc)
    list(APPEND hdrs ${UPLIFT_PROTO_GEN_DIR}/${base}.pb.h)
    if(ARG_GRPC)
      list(APPEND file_srcs ${UPLIFT_PROTO_GEN_DIR}/${base}.grpc.pb.cc)
      list(APPEND hdrs ${UPLIFT_PROTO_GEN_DIR}/${base}.grpc.pb.h)
    endif()
    # In a unity build, a file's messages and its stubs compile together;
    # two files' messages cannot (each defines the same file-level tables).
    string(MAKE_C_IDENTIFIER ${base} group)
    set_source_files_properties(${file_srcs} PROPERTIES UNITY_GROUP ${group})
    list(APPEND srcs ${file_srcs})
  endforeach()

  set(grpc_args)
  if(ARG_GRPC)
    set(grpc_args --grpc_out=${UPLIFT_PROTO_GEN_DIR}
                  --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
  endif()
  add_custom_command(
    OUTPUT ${srcs} ${hdrs}
    COMMAND protobuf::protoc
      -I${UPLIFT_PROTO_ROOT} -I${UPLIFT_PROTO_THIRD_PARTY}
      -I${UPLIFT_GRPC_PROTO_ROOT} -I${Protobuf_INCLUDE_DIRS}
      --cpp_out=${UPLIFT_PROTO_GEN_DIR} ${grpc_args} ${abs_protos}
    DEPENDS ${abs_protos} protobuf::protoc
    COMMENT "protoc ${target}"
    VERBATIM)

  add_library(${target} STATIC ${srcs} ${hdrs})
  set_target_properties(${target} PROPERTIES UNITY_BUILD_MODE GROUP)
  target_include_directories(${target} PUBLIC ${UPLIFT_PROTO_GEN_DIR})
  target_compile_options(${target} PRIVATE -w)
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${target} PUBLIC PkgConfig::GRPCPP)
  endif()
endfunction()
