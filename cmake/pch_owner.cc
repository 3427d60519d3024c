// The target that owns the precompiled header (cmake/UpliftPch.cmake).
