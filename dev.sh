#!/usr/bin/env bash
# The two set-up commands of the README, on a fresh Debian bookworm machine as root:
#   ./dev.sh serve   install packages, build, run the service on the embedded default configuration
#   ./dev.sh test    install packages, build, run the whole test suite (what CI runs)
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libpoco-dev libspdlog-dev libcurl4-openssl-dev
  libkainjow-mustache-dev libxml2-dev libcli11-dev libvalijson-dev libhowardhinnant-date-dev tzdata
  # tests: GoogleTest, real servers and the simulators' Python
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-aiosmtpd python3-yaml python3-jsonschema openssl ca-certificates curl postgresql
  # browser tests: Debian's chromium, driven by playwright-core (tests/integration/browser)
  chromium
  # fuzzing: libFuzzer comes with clang's runtime libraries (fuzz/)
  clang-14 libclang-rt-14-dev
)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The tests' npm packages, exactly as each folder's package-lock.json has them: the browser tests'
# (playwright-core, axe-core) and the API contract's (@redocly/cli).
# Node and npm from Debian only where there are none: an image's own Node conflicts with Debian's npm.
install_npm_packages() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  local folder
  for folder in tests/integration/browser tests/integration/contract; do
    (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error)
  done
}

configure() { # configure <dir> [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DEXTCOMM_WERROR=ON "$@" >/dev/null
}

build() { # build <dir> [cmake options...]
  configure "$@"
  cmake --build "$1" -j2
}

timed() { # timed <command...>: runs it, then says how long it took (CI's budget is per step)
  local start=$SECONDS
  "$@"
  echo "== $* took $((SECONDS - start)) s (${SECONDS} s in all)"
}

# The unit tests and the libFuzzer targets (fuzz/) in one build, with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (cmake/settings.cmake), so that what both link is compiled once. clang
# rather than GCC: with the sanitizers it compiled host/api/messages_api.cpp in 11.7 s against GCC's
# 19.1 s, and these builds are most of the run on 2 cores (this one: 407 s, cold). -O1 with line tables
# only (-g1): what the sanitizers' documentation recommends for their reports.
build_asan() {
  build build-asan -DEXTCOMM_FUZZ=ON -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG"
}
run_asan() {
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan -L unit -j2 --output-on-failure
}

# Each target replays its seed corpus (fuzz/corpus/<target>/), then explores for 10 s from a fixed seed, so
# a run retraces the last one's inputs as far as the machine's speed allows (a failure there is rerun with
# the same -seed); what it learns goes to a scratch folder, a crash or a broken invariant to
# build-asan/crashes/ and fails the run. Longer, randomly seeded runs belong on a developer's machine; each
# input they find that breaks something is fixed and then kept in the target's corpus.
run_fuzz() {
  mkdir -p build-asan/crashes
  for corpus in fuzz/corpus/*/; do
    local target scratch
    target=$(basename "$corpus")
    scratch=$(mktemp -d)
    build-asan/fuzz/"$target" -artifact_prefix=build-asan/crashes/"$target"- "$corpus"*
    build-asan/fuzz/"$target" -seed=1 -max_total_time=10 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build-asan/crashes/"$target"- "$scratch" "$corpus"
    rm -rf "$scratch"
  done
}

# The threaded unit tests (dispatcher, group commit, HTTP engine, HTTP server) under ThreadSanitizer;
# tests/tsan.supp says which third-party reports are not ours.
TSAN_TESTS=(core_dispatcher_test core_group_commit_test http_engine_test http_server_test)
build_tsan() {
  configure build-tsan -DEXTCOMM_TSAN=ON -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG"
  cmake --build build-tsan -j2 --target "${TSAN_TESTS[@]}"
}
run_tsan() {
  local names
  names=$(IFS='|'; echo "${TSAN_TESTS[*]}")
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
    ctest --test-dir build-tsan -R "^($names)\$" -j2 --output-on-failure
}

case "${1:-}" in
  serve)
    install_packages
    build build
    mkdir -p var
    if [[ -z "${EXTCOMM_API_TOKEN:-}" ]]; then
      # Never echoed: read it from the file when calling the API.
      [[ -s var/api-token ]] || (umask 077 && openssl rand -hex 24 > var/api-token)
      EXTCOMM_API_TOKEN=$(cat var/api-token)
      export EXTCOMM_API_TOKEN
      echo "API token: in var/api-token (set EXTCOMM_API_TOKEN to choose your own)"
    fi
    exec ./build/bin/extcomm serve --config config/extcomm.json
    ;;
  test)
    # Each step says how long it took; the whole suite runs last, so its ctest summary is the last line.
    timed install_packages
    timed install_npm_packages
    timed build_asan
    timed run_asan
    timed build_tsan
    timed run_tsan
    timed run_fuzz
    timed build build
    echo "== the whole suite starts at ${SECONDS} s"
    ctest --test-dir build -j2 --output-on-failure
    ;;
  *)
    echo "usage: $0 serve | test" >&2
    exit 2
    ;;
esac
