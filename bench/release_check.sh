# Sourced by the benchmarks that report speed: warn_unless_release STRATA ROOT warns when the
# binary STRATA is not a Release build without sanitizers (its numbers are then not comparable).
# A copy of ROOT/build/strata (kept stable while others rebuild) takes build/'s configuration.
# Sets build_type.
warn_unless_release() {
  local strata="$1" root="$2"
  local cache sanitize
  cache="$(dirname "$strata")/CMakeCache.txt"
  [[ ! -f "$cache" ]] && cmp -s "$strata" "$root/build/strata" && cache="$root/build/CMakeCache.txt"
  build_type="unknown"
  [[ -f "$cache" ]] && build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$cache")"
  sanitize="$( [[ -f "$cache" ]] && sed -n 's/^STRATA_SANITIZE:BOOL=//p' "$cache" || true)"
  if [[ "$build_type" != "Release" || "$sanitize" == "ON" ]]; then
    echo "WARNING: $strata is a '$build_type' build (sanitizers: ${sanitize:-?}); numbers are not comparable" >&2
  fi
}
