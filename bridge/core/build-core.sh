#!/usr/bin/env bash
# Builds Temporal's Rust core (crate temporalio-sdk-core-c-bridge from the pinned npm
# package @temporalio/core-bridge) as a static library. Called by build.zig.
#
#   build-core.sh <repo-root> <cargo-target-dir>
#
# Cargo runs from outside sdk-core/ (its rust-toolchain.toml would make rustup try to
# download another toolchain) with our own Cargo.lock, so the dependency set is the one
# committed in this repository.
set -euo pipefail
repo="$1"
target_dir="$2"
pkg="$repo/node_modules/@temporalio/core-bridge"
workspace="$pkg/sdk-core"
manifest="$workspace/crates/sdk-core-c-bridge/Cargo.toml"

fail() { printf '[core] step failed: build the Rust core\n  cause: %s\n  fix:   %s\n' "$1" "$2" >&2; exit 1; }

[[ -f "$manifest" ]] || fail "sdk-core sources not found at $workspace" "run \`bun install\` (./dev setup does it) so @temporalio/core-bridge is installed"
command -v cargo >/dev/null || fail "cargo is not on PATH" "install Rust (rustup) — it comes with this machine kind"
command -v protoc >/dev/null || fail "protoc is not on PATH (core's protos crate needs it)" "apt-get install protobuf-compiler (./dev setup does it as root)"

# Our lock file, not whatever is in node_modules: reproducible dependency versions.
cp "$repo/bridge/core/Cargo.lock" "$workspace/Cargo.lock"

# Use the machine's default toolchain; the one pinned in sdk-core cannot be downloaded here.
toolchain="${RUSTUP_TOOLCHAIN:-$(rustup show active-toolchain 2>/dev/null | awk '{print $1}' || true)}"
[[ -n "$toolchain" ]] && export RUSTUP_TOOLCHAIN="$toolchain"

export CARGO_TARGET_DIR="$target_dir"
# --locked: a lock file that no longer matches the sources is an error, not a silent update.
if ! (cd "$repo" && cargo rustc --release --locked --quiet --manifest-path "$manifest" --crate-type staticlib); then
  fail "cargo rustc failed (output above)" "if you changed the core-bridge pin, refresh the lock: ./dev update-core-lock"
fi
[[ -f "$target_dir/release/libtemporalio_sdk_core_c_bridge.a" ]] || fail "cargo finished but produced no static library" "rerun ./dev build; report the cargo output"
