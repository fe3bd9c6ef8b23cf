#!/usr/bin/env bash
# setup.sh — puts MLX where the cgo bridge expects it, idempotently.
#
# The bridge's cgo directives (tensor/cgo/flags.go) point at ./.mlx/{include,lib}.
# This script makes ./.mlx a link to an MLX install:
#   - MLX_PREFIX=/some/prefix   use that install (Homebrew, a source build)
#   - otherwise                 MLX's official backend wheel, pinned below, in ./.venv
#       MLX_BACKEND=cpu (Linux default) -> mlx-cpu, MLX_BACKEND=cuda -> mlx-cuda-13,
#       macOS -> mlx-metal
#   - MLX_VENV=/path/to/env     install into that existing Python environment
#       instead (./.venv becomes a link to it): for machines whose Python
#       already holds the CUDA libraries (nvidia-cublas, cudnn, ... as PyTorch
#       installs them), which libmlx.so finds beside itself. Its numpy is kept.
#   - offline: pip's own PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheel/dir apply.
# The Python `mlx` front end of the same version is installed beside it: tests
# compare our results with Python MLX running on the very same libmlx.
# A second run with nothing changed finishes in well under a second.
set -euo pipefail

MLX_VERSION=0.32.4
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
numpy_pin=numpy==2.4.6
if [ -n "${MLX_VENV:-}" ]; then
  [ -x "$MLX_VENV/bin/python" ] || die "MLX_VENV=$MLX_VENV has no bin/python; point it at a virtualenv or conda env"
  if [ "$(readlink "$venv" 2>/dev/null || true)" != "$MLX_VENV" ]; then
    [ -e "$venv" ] && [ ! -L "$venv" ] && die "./.venv exists as a folder; remove it to use MLX_VENV=$MLX_VENV"
    rm -f "$venv"
    ln -s "$MLX_VENV" "$venv"
  fi
  numpy_pin=numpy
fi
link="$root/.mlx"
stamp="$venv/.mlx-go-stamp"

die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

check_prefix() {
  local p=$1
  [ -d "$p" ] || die "MLX_PREFIX=$p does not exist; point it at a folder holding include/mlx/mlx.h and lib/libmlx.so (or .dylib)"
  [ -f "$p/include/mlx/mlx.h" ] || die "MLX_PREFIX=$p has no include/mlx/mlx.h; point it at an MLX install (e.g. \$(brew --prefix mlx) or a cmake --install prefix)"
  ls "$p"/lib/libmlx.* >/dev/null 2>&1 || die "MLX_PREFIX=$p has no lib/libmlx.so or lib/libmlx.dylib; is it an MLX install prefix?"
}

point_link() {
  local target=$1
  if [ "$(readlink "$link" 2>/dev/null || true)" != "$target" ]; then
    rm -rf "$link"
    ln -s "$target" "$link"
  fi
}

if [ -n "${MLX_PREFIX:-}" ]; then
  check_prefix "$MLX_PREFIX"
  point_link "$(cd "$MLX_PREFIX" && pwd)"
  echo "setup: using MLX at $MLX_PREFIX"
  exit 0
fi

os=$(uname -s)
backend=${MLX_BACKEND:-}
case "$os" in
  Darwin) backend=${backend:-metal}; [ "$backend" = metal ] || die "on macOS only MLX_BACKEND=metal exists (got '$backend')" ;;
  Linux)  backend=${backend:-cpu} ;;
  *) die "no MLX wheel is published for $os; build MLX from source and set MLX_PREFIX to its install prefix" ;;
esac
case "$backend" in
  cpu)   wheel=mlx-cpu ;;
  cuda)  wheel=mlx-cuda-13 ;;
  metal) wheel=mlx-metal ;;
  *) die "MLX_BACKEND must be cpu, cuda or metal (got '$backend')" ;;
esac

want="$MLX_VERSION $wheel $(uname -m)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -e "$link/include/mlx/mlx.h" ]; then
  exit 0
fi

python=${PYTHON:-}
if [ -z "$python" ]; then
  for c in python3 python; do
    if command -v "$c" >/dev/null 2>&1; then python=$c; break; fi
  done
fi
[ -n "$python" ] || die "no Python found: install Python 3.10+ (apt-get install python3 python3-venv, or brew install python) or set PYTHON=/path/to/python3"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
  die "$("$python" --version 2>&1) is too old: MLX wheels need Python 3.10 or newer (set PYTHON=/path/to/python3.x)"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" 2>/dev/null ||
    die "'$python -m venv' failed: install the venv module (apt-get install python3-venv) or set PYTHON to a Python that has it"
fi
"$venv/bin/python" -m pip --version >/dev/null 2>&1 ||
  die "the virtualenv at $venv has no pip: remove $venv and install python3-venv/ensurepip, then run again"

# The backend wheels all write mlx/lib/libmlx.so: switching backends must
# remove the other one first.
for other in mlx-cpu mlx-cuda-13 mlx-metal; do
  if [ "$other" != "$wheel" ] && "$venv/bin/python" -m pip show -q "$other" >/dev/null 2>&1; then
    "$venv/bin/python" -m pip uninstall -q -y "$other" "$wheel" >/dev/null 2>&1 || true
  fi
done
echo "setup: installing $wheel==$MLX_VERSION and mlx==$MLX_VERSION into .venv"
if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    "mlx==$MLX_VERSION" "$wheel==$MLX_VERSION" "$numpy_pin" 2>"$venv/pip.err"; then
  cat "$venv/pip.err" >&2
  if grep -qi 'no matching distribution' "$venv/pip.err"; then
    die "PyPI has no $wheel==$MLX_VERSION wheel for $(uname -sm) / $("$venv/bin/python" --version); build MLX from source and set MLX_PREFIX"
  fi
  die "pip could not install $wheel==$MLX_VERSION (see above)"
fi

site=$("$venv/bin/python" -c 'import mlx; print(list(mlx.__path__)[0])' 2>/dev/null || true)

# MLX's CUDA backend compiles some kernels at run time (NVRTC), among them
# the sm90 4-bit matmuls, against the CUDA headers of the nvidia-* packages
# beside it. Their mma.h includes crt/mma.h, which ships in nvidia-cuda-crt:
# a package neither mlx-cuda-13 nor PyTorch pulls in. Without it every
# quantized model fails with "cannot open source file crt/mma.h".
if [ "$wheel" = mlx-cuda-13 ] && [ -n "$site" ]; then
  cuda_include="$(dirname "$site")/nvidia/cu13/include"
  if [ -f "$cuda_include/mma.h" ] && [ ! -f "$cuda_include/crt/mma.h" ]; then
    runtime=$("$venv/bin/python" -m pip show nvidia-cuda-runtime 2>/dev/null | sed -n 's/^Version: //p')
    echo "setup: adding nvidia-cuda-crt (headers MLX's run-time CUDA compiler needs) for nvidia-cuda-runtime ${runtime:-?}"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "nvidia-cuda-crt==${runtime%.*}.*" 2>/dev/null ||
      "$venv/bin/python" -m pip install -q --disable-pip-version-check "nvidia-cuda-crt==13.*" ||
      die "could not install nvidia-cuda-crt: quantized models would fail to compile their CUDA kernels"
  fi
fi
[ -n "$site" ] && [ -f "$site/include/mlx/mlx.h" ] ||
  die "the $wheel wheel installed but carries no include/mlx/mlx.h under $site"
point_link "$site"
echo "$want" >"$stamp"
echo "setup: MLX $MLX_VERSION ($wheel) ready at $site"
