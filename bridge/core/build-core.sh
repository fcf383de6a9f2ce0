#!/usr/bin/env bash
# Builds Temporal's Rust core (crate temporalio-sdk-core-c-bridge from the pinned npm
# package @temporalio/core-bridge) as a static library. Called by build.zig.
#
#   build-core.sh <repo-root> <cargo-target-dir> <source-copy-dir> [<zig> <glibc-version>]
#
# With <zig> and <glibc-version> (build.zig passes them for -Dglibc=X.Y), the C parts of the
# core's dependencies (aws-lc, ring, zstd, lzma) are compiled by `zig cc` against that glibc's
# headers instead of the host's gcc, so no object asks for a newer glibc than the final link
# (Zig, same glibc) provides. Rust code itself does not depend on the host's glibc until that
# link: the static library carries unversioned symbol references.
#
# Cargo runs from outside sdk-core/ (its rust-toolchain.toml would make rustup try to
# download another toolchain) with our own Cargo.lock, so the dependency set is the one
# committed in this repository.
#
# Cargo fingerprints the workspace crates by absolute path, so building straight from
# <clone>/node_modules would rebuild the core (minutes) in every fresh clone. The sources
# are copied once to <source-copy-dir>, a version-keyed folder in the cache, and built
# from there: every clone on the machine then shares one up-to-date build.
set -euo pipefail
repo="$1"
target_dir="$2"
src_dir="$3"
zig="${4:-}"
glibc="${5:-}"
pkg="$repo/node_modules/@temporalio/core-bridge"

fail() { printf '[core] step failed: build the Rust core\n  cause: %s\n  fix:   %s\n' "$1" "$2" >&2; exit 1; }

[[ -f "$pkg/sdk-core/crates/sdk-core-c-bridge/Cargo.toml" ]] || fail "sdk-core sources not found at $pkg/sdk-core" "run \`bun install\` (./dev setup does it) so @temporalio/core-bridge is installed"
command -v cargo >/dev/null || fail "cargo is not on PATH" "install Rust (rustup) — it comes with this machine kind"
command -v protoc >/dev/null || fail "protoc is not on PATH (core's protos crate needs it)" "apt-get install protobuf-compiler (./dev setup does it as root)"

# The copy is complete (marker written last) and of the same package contents.
stamp="$(sha256sum "$pkg/package.json" | cut -d' ' -f1)"
if [[ "$(cat "$src_dir/.copied-from" 2>/dev/null || true)" != "$stamp" ]]; then
  rm -rf "$src_dir.tmp" "$src_dir"
  mkdir -p "$(dirname "$src_dir")"
  cp -a "$pkg/sdk-core" "$src_dir.tmp" || fail "could not copy the sdk-core sources to $src_dir.tmp" "check free disk space in the cache folder"
  echo "$stamp" >"$src_dir.tmp/.copied-from"
  mv "$src_dir.tmp" "$src_dir"
fi
workspace="$src_dir"
manifest="$workspace/crates/sdk-core-c-bridge/Cargo.toml"

# Our lock file, not the package's: reproducible dependency versions. Copied only when it
# differs, so an unchanged lock never looks modified to cargo.
cmp -s "$repo/bridge/core/Cargo.lock" "$workspace/Cargo.lock" || cp "$repo/bridge/core/Cargo.lock" "$workspace/Cargo.lock"

# What is built is our crate bridge/core/bun-core (the C bridge re-exported, plus a panic hook
# the Zig bridge needs), as a member of the same workspace so the core and its dependencies
# are the builds the C bridge alone would use. The C bridge must be an rlib to be a
# dependency (its manifest says cdylib only). Every step only writes what differs, so an
# unchanged tree never looks modified to cargo.
ext="$workspace/crates/temporal-bun-core"
mkdir -p "$ext/src"
for f in Cargo.toml src/lib.rs; do
  cmp -s "$repo/bridge/core/bun-core/$f" "$ext/$f" || cp "$repo/bridge/core/bun-core/$f" "$ext/$f"
done
grep -q '"crates/temporal-bun-core"' "$workspace/Cargo.toml" \
  || sed -i 's|"crates/sdk-core-c-bridge",|"crates/sdk-core-c-bridge",\n    "crates/temporal-bun-core",|' "$workspace/Cargo.toml"
grep -q '^crate-type = \["cdylib"\]' "$workspace/crates/sdk-core-c-bridge/Cargo.toml" \
  && sed -i 's|^crate-type = \["cdylib"\]|crate-type = ["rlib"]|' "$workspace/crates/sdk-core-c-bridge/Cargo.toml"
grep -q '"crates/temporal-bun-core"' "$workspace/Cargo.toml" || fail "could not add crates/temporal-bun-core to $workspace/Cargo.toml" "delete $src_dir and rerun (it is copied again)"
manifest="$ext/Cargo.toml"

# Use the machine's default toolchain; the one pinned in sdk-core cannot be downloaded here.
toolchain="${RUSTUP_TOOLCHAIN:-$(rustup show active-toolchain 2>/dev/null | awk '{print $1}' || true)}"
[[ -n "$toolchain" ]] && export RUSTUP_TOOLCHAIN="$toolchain"

export CARGO_TARGET_DIR="$target_dir"

# ---- C compiler for the glibc-targeted build (see the header). cc-rs reads
# CC_<target>/CXX_<target>; host == target here, so build scripts compiling C would get it too,
# which is harmless (same architecture, older glibc). Cargo itself links only build scripts and
# proc macros (the core is a static archive; Zig links the final library), so cargo keeps the
# host linker. The wrappers drop the `--target=<rust triple>` that cc-rs adds for clang-like
# compilers (Zig takes its own -target), and turn off UBSan, which zig cc enables by default
# in unoptimized compiles and whose runtime the final link does not carry.
if [[ -n "$glibc" ]]; then
  [[ -x "$zig" ]] || fail "zig not found at '$zig'" "run through \`zig build\` (./dev build), which passes its own zig"
  wrappers="$target_dir/zig-cc"
  mkdir -p "$wrappers"
  for tool in cc c++; do
    cat >"$wrappers/$tool.tmp" <<WRAPPER
#!/usr/bin/env bash
# Generated by bridge/core/build-core.sh: zig $tool for x86_64-linux-gnu.$glibc.
args=()
skip=0
for a in "\$@"; do
  if [[ \$skip == 1 ]]; then skip=0; continue; fi
  case "\$a" in
    --target=*) ;;
    -target) skip=1 ;;
    *) args+=("\$a") ;;
  esac
done
exec "$zig" $tool -target x86_64-linux-gnu.$glibc -fno-sanitize=undefined "\${args[@]}"
WRAPPER
    chmod +x "$wrappers/$tool.tmp"
    mv "$wrappers/$tool.tmp" "$wrappers/$tool"
  done
  export CC_x86_64_unknown_linux_gnu="$wrappers/cc" CXX_x86_64_unknown_linux_gnu="$wrappers/c++"
  export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$target_dir/zig-global}"
fi
# ---- cargo, with progress. A cold build takes 8-20 min on 2 cores; cargo's own progress bar
# needs a terminal and is lost under `zig build`, so cargo's messages go to files and a status
# line is printed from them: units done / the previous build's unit count, the crate compiling
# now, elapsed time against the previous cold build's duration (recorded in build-stats here).
# On a terminal (and not CI) the line is redrawn in place every second; otherwise a plain line
# every $TEMPORAL_BUN_SDK_PROGRESS_SECONDS (default 20) s. cargo's full output (warnings,
# "Compiling" lines, errors) is kept in cargo.log, whose tail is shown on failure.
log_file="$target_dir/cargo.log"
json_file="$target_dir/cargo-messages.jsonl"
stats_file="$target_dir/build-stats"
prev_units="" prev_cold=""
# This build's record, else the newest from another core version / glibc target (same crates,
# roughly the same time), so even the first build of a new target has an estimate.
for f in "$stats_file" $(ls -t "$(dirname "$target_dir")"/*/build-stats 2>/dev/null || true); do
  [[ -f "$f" ]] || continue
  prev_units="$(sed -n 's/^units=//p' "$f")"
  prev_cold="$(sed -n 's/^cold_seconds=//p' "$f")"
  [[ -n "$prev_cold" ]] && break
done
fmt_time() { if (($1 >= 60)); then printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); else printf '%ds' "$1"; fi; }
count() { grep -c "$1" "$json_file" 2>/dev/null || true; }
status_line() {
  local n_done compiled current elapsed=$((SECONDS - started))
  n_done="$(count '"reason":"compiler-artifact"')"
  compiled="$(count '"fresh":false')"
  # Started ("Compiling <package>" in the log) and not yet finished (no artifact other than its
  # build script), newest first: cargo pipelines, so several compile at once.
  current="$(
    grep -E '^ +Compiling ' "$log_file" 2>/dev/null | awk '{print $2}' | tac | awk '!seen[$0]++' |
      grep -vxF -f <(grep '"reason":"compiler-artifact"' "$json_file" 2>/dev/null | grep -v '"custom-build"' |
        sed -nE 's/.*"package_id":"[^"]*#([^"@]+)@.*/\1/p'; echo '#') |
      head -3 | paste -sd, - | sed 's/,/, /g' || true
  )"
  # Another cargo (a colleague's build, a second clone) holds this target dir: say so.
  if tail -n 1 "$log_file" 2>/dev/null | grep -q 'Blocking waiting for file lock'; then
    current="nothing: waiting for another cargo using $target_dir"
  fi
  printf '[core] %s  %s/%s units (%s compiled)%s  %s' "$(fmt_time "$elapsed")" "${n_done:-0}" "${prev_units:-?}" "${compiled:-0}" \
    "${current:+  compiling $current}" "${prev_cold:+of ~$(fmt_time "$prev_cold") (last cold build)}"
}
started=$SECONDS
mkdir -p "$target_dir"
: >"$json_file"
: >"$log_file"
# --locked: a lock file that no longer matches the sources is an error, not a silent update.
(cd "$repo" && exec cargo rustc --release --locked --message-format=json-render-diagnostics \
  --manifest-path "$manifest" --crate-type staticlib) >"$json_file" 2>"$log_file" &
cargo_pid=$!
trap 'kill "$cargo_pid" 2>/dev/null || true' INT TERM EXIT
interactive=0
[[ -t 2 && -z "${CI:-}" ]] && interactive=1
every="${TEMPORAL_BUN_SDK_PROGRESS_SECONDS:-20}"
ticks=0 shown=0
while kill -0 "$cargo_pid" 2>/dev/null; do
  sleep 1
  ticks=$((ticks + 1))
  # Nothing to show for a warm build (cargo confirms every unit fresh in a few seconds).
  ((ticks < 3)) && continue
  if ((interactive)); then
    printf '\r\033[K%s' "$(status_line | cut -c1-"${COLUMNS:-120}")" >&2
    shown=1
  elif ((ticks % every == 0)); then
    status_line >&2
    echo >&2
  fi
done
rc=0
wait "$cargo_pid" || rc=$?
trap - INT TERM EXIT
((shown)) && printf '\r\033[K' >&2
elapsed=$((SECONDS - started))
done_units="$(count '"reason":"compiler-artifact"')"
compiled="$(count '"fresh":false')"
if ((rc != 0)); then
  echo "[core] cargo failed after $(fmt_time "$elapsed"); last lines of $log_file:" >&2
  tail -n 40 "$log_file" | sed 's/^/  | /' >&2
  fail "cargo rustc failed (log: $log_file)" "if you changed the core-bridge pin, refresh the lock: ./dev update-core-lock"
fi
if ((compiled > 0)); then
  echo "[core] Rust core built: $compiled of $done_units units compiled in $(fmt_time "$elapsed") (log: $log_file)" >&2
  { echo "units=$done_units"
    # Only a from-scratch build is a fair estimate for the next one.
    if ((compiled == done_units)); then echo "cold_seconds=$elapsed"; elif [[ -n "$prev_cold" && -f "$stats_file" ]]; then echo "cold_seconds=$(sed -n 's/^cold_seconds=//p' "$stats_file")"; fi
  } >"$stats_file.tmp" && mv "$stats_file.tmp" "$stats_file"
  step_status="built"
else
  echo "[core] Rust core up to date ($done_units units checked, $(fmt_time "$elapsed"))" >&2
  step_status="cached"
fi
# ./dev collects per-step timings in this file (one "step<TAB>seconds<TAB>status" line per step).
if [[ -n "${TEMPORAL_BUN_SDK_STEPS_FILE:-}" ]]; then
  printf 'Rust core (cargo)\t%s\t%s\n' "$elapsed" "$step_status" >>"$TEMPORAL_BUN_SDK_STEPS_FILE"
fi
[[ -f "$target_dir/release/libtemporal_bun_core.a" ]] || fail "cargo finished but produced no static library" "rerun ./dev build; report the cargo output"
