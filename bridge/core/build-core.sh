#!/usr/bin/env bash
# Builds Temporal's Rust core (crate temporalio-sdk-core-c-bridge from the pinned npm
# package @temporalio/core-bridge) as a static library. Called by build.zig.
#
#   build-core.sh <repo-root> <cargo-target-dir> <source-copy-dir>
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

# Use the machine's default toolchain; the one pinned in sdk-core cannot be downloaded here.
toolchain="${RUSTUP_TOOLCHAIN:-$(rustup show active-toolchain 2>/dev/null | awk '{print $1}' || true)}"
[[ -n "$toolchain" ]] && export RUSTUP_TOOLCHAIN="$toolchain"

export CARGO_TARGET_DIR="$target_dir"
# --locked: a lock file that no longer matches the sources is an error, not a silent update.
if ! (cd "$repo" && cargo rustc --release --locked --quiet --manifest-path "$manifest" --crate-type staticlib); then
  fail "cargo rustc failed (output above)" "if you changed the core-bridge pin, refresh the lock: ./dev update-core-lock"
fi
[[ -f "$target_dir/release/libtemporalio_sdk_core_c_bridge.a" ]] || fail "cargo finished but produced no static library" "rerun ./dev build; report the cargo output"
