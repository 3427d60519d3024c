// Which build a benchmark measured: numbers of an unoptimized or sanitized
// build say little about the code's speed (-O0 against -O2 halves the
// gateway's throughput while gRPC's own libraries, Debian's, stay -O2), so
// every benchmark prints its build first and warns when it is not one to
// judge by. bench/CMakeLists.txt sets the macros.
#pragma once

#include <cstdio>
#include <cstring>

#ifndef UPLIFT_BUILD_TYPE
#error "bench/CMakeLists.txt defines UPLIFT_BUILD_TYPE and UPLIFT_BUILD_FLAGS"
#endif

namespace uplift::bench {

inline bool OptimizedBuild() {
  return std::strcmp(UPLIFT_BUILD_TYPE, "Release") == 0 ||
         std::strcmp(UPLIFT_BUILD_TYPE, "RelWithDebInfo") == 0;
}

inline void PrintBuild() {
#if defined(__clang__)
  const char* compiler = "clang " __clang_version__;
#else
  const char* compiler = "gcc " __VERSION__;
#endif
  std::printf("build: %s (%s; %s)\n", UPLIFT_BUILD_TYPE, compiler, UPLIFT_BUILD_FLAGS);
  if (!OptimizedBuild()) {
    std::printf(
        "  not an optimized build: these numbers check that the benchmark runs; judge speed\n"
        "  and goals on scripts/build's default (RelWithDebInfo) or Release\n");
  }
  std::printf("\n");
}

}  // namespace uplift::bench
