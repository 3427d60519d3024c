// Small absl::Status helpers (Abseil 20220623 has no status macros).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define UPLIFT_CONCAT_INNER(a, b) a##b
#define UPLIFT_CONCAT(a, b) UPLIFT_CONCAT_INNER(a, b)

// Returns from the current function if `expr` yields a non-OK status.
#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::absl::Status uplift_status_ = (expr);           \
    if (!uplift_status_.ok()) return uplift_status_;  \
  } while (0)

// ASSIGN_OR_RETURN(auto x, MaybeX()): binds the value or returns the status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  UPLIFT_ASSIGN_OR_RETURN_IMPL(UPLIFT_CONCAT(uplift_statusor_, __LINE__), lhs, expr)
#define UPLIFT_ASSIGN_OR_RETURN_IMPL(var, lhs, expr) \
  auto var = (expr);                                 \
  if (!var.ok()) return var.status();                \
  lhs = std::move(var).value()
