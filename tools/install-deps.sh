#!/bin/sh
# install-deps.sh - install what building and testing xfcast needs on
# Debian/Ubuntu, and nothing that is already there.
#
#   sh tools/install-deps.sh            build + test dependencies (tzdata: --tz;
#                                       r-base-dev: the R package, r/;
#                                       python3-*: the Python package)
#   sh tools/install-deps.sh --fuzz     also clang and libFuzzer (--enable-fuzz)
#   sh tools/install-deps.sh --bench    also the benchmark anchors (pandas, PyTorch)
#   sh tools/install-deps.sh --lint     also cppcheck and clang-format (make lint)
#   sh tools/install-deps.sh --coverage also lcov (configure --enable-coverage; make coverage)
#   sh tools/install-deps.sh --r        also R's forecast package (the R package's
#                                       compatibility tests: accuracy(), autoplot())
#   sh tools/install-deps.sh --mpi      also Open MPI (configure --with-mpi: pretraining
#                                       as an MPI job; opt-in: about 35 packages)
#
# Runs apt-get as root, or through sudo when not root.
set -eu

# r-base-dev: the R package (r/); python3-*: the Python package (python/) and its pytest suite
pkgs="build-essential autoconf automake libtool pkg-config libgsl-dev libopenblas-dev liblapacke-dev libcsv-dev libinih-dev tzdata python3-dev python3-numpy python3-pandas python3-pytest r-base-dev"
for a in "$@"; do
    case $a in
        --fuzz) pkgs="$pkgs clang libclang-rt-dev" ;;
        --bench) pkgs="$pkgs python3-pandas python3-torch" ;;
        --lint) pkgs="$pkgs cppcheck clang-format" ;;
        --coverage) pkgs="$pkgs lcov" ;;
        --r) pkgs="$pkgs r-cran-forecast" ;;
        --mpi) pkgs="$pkgs libopenmpi-dev openmpi-bin" ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "install-deps.sh: unknown option '$a'" >&2; exit 2 ;;
    esac
done

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: missing:$missing - install them with your package manager" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
echo "install-deps.sh: installing$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
