#!/usr/bin/env bash
# Checks the module order of DESIGN.md §9 on every #include under src/: a file of module M may
# include headers of M and of modules listed before M, never of one listed after it; `lang`
# and `sql` never include each other. (The build already refuses headers of modules a module
# does not link: cmake/StrataModule.cmake.) Prints each offending include with file:line and
# exits 1; exits 0 when the layering holds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

order=(base types partition storage catalog engine query repository backup jobs auth service
       lang sql server cli)
declare -A rank
for i in "${!order[@]}"; do rank[${order[$i]}]=$i; done

bad=0
for dir in src/*/; do
  module=$(basename "$dir")
  if [ -z "${rank[$module]+x}" ]; then
    echo "check_layers: src/$module is not in DESIGN.md §9's order; add it to $0 and to the design"
    bad=1
    continue
  fi
  while IFS=: read -r file line included; do
    [ -n "${rank[$included]+x}" ] || continue
    up=0
    [ "${rank[$included]}" -gt "${rank[$module]}" ] && up=1
    { [ "$module" = lang ] && [ "$included" = sql ]; } && up=1
    { [ "$module" = sql ] && [ "$included" = lang ]; } && up=1
    if [ "$up" = 1 ]; then
      echo "$file:$line: module '$module' includes '$included', which is above it in DESIGN.md §9"
      bad=1
    fi
  done < <(grep -Hno '^#include "[a-z_]*/' "$dir"*.h "$dir"*.cc 2>/dev/null |
           sed -E 's/^([^:]*):([0-9]*):#include "([a-z_]*)\//\1:\2:\3/')
done
if [ "$bad" = 0 ]; then echo "check_layers: every include under src/ follows DESIGN.md §9"; fi
exit "$bad"
