#!/usr/bin/env bash
# e2e: mie as an installed library. `cmake --install` into a temporary prefix, then examples/embed
# (a separate CMake project: find_package(mie), mie::mie) built against it and run on a Debian photo:
# its JSONL line equals `mie predict --text --image`'s byte for byte. pkg-config finds the same
# install. Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: model
source "$(dirname "$0")/../lib.sh" "$@"
BUILD=$(dirname "$MIE")
MODEL=$SRC/models/gmner.mie
PHOTO=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
[[ -f $MODEL ]] || fail "no $MODEL (scripts/setup.sh trains it)"
[[ -f $PHOTO ]] || fail "no $PHOTO (Debian opencv-doc)"

cmake --install "$BUILD" --prefix "$TMP/prefix" > "$TMP/install.log" || { cat "$TMP/install.log"; fail "cmake --install"; }
LIBDIR=$(dirname "$(find "$TMP/prefix" -name 'libmie.so*' -print -quit)")
[[ -f $TMP/prefix/include/mie/mie.h && -f $LIBDIR/cmake/mie/mieConfig.cmake && -f $LIBDIR/pkgconfig/mie.pc ]] \
  || fail "install lacks the header, mieConfig.cmake or mie.pc: $(find "$TMP/prefix" -type f | head -20)"
cmake -S "$SRC/examples/embed" -B "$TMP/embed" -DCMAKE_PREFIX_PATH="$TMP/prefix" -DCMAKE_BUILD_TYPE=Release \
  > "$TMP/cfg.log" 2>&1 || { cat "$TMP/cfg.log"; fail "configure examples/embed against the install"; }
cmake --build "$TMP/embed" > "$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; fail "build examples/embed"; }

TEXT="Messi scores again for Barcelona"
LD_LIBRARY_PATH=$LIBDIR "$TMP/embed/embed" "$MODEL" "$TEXT" "$PHOTO" > "$TMP/embed.jsonl" 2> "$TMP/embed.log" \
  || { cat "$TMP/embed.log"; fail "examples/embed"; }
"$MIE" predict --model "$MODEL" --text "$TEXT" --image "$PHOTO" > "$TMP/cli.jsonl" 2> /dev/null
cmp "$TMP/embed.jsonl" "$TMP/cli.jsonl" || fail "library and CLI differ: $(cat "$TMP/embed.jsonl") vs $(cat "$TMP/cli.jsonl")"
grep -q '"boxes":\[\[' "$TMP/embed.jsonl" || fail "no box for the photo's entity: $(cat "$TMP/embed.jsonl")"
# the installed library is the one that ran, not the build tree's
LD_LIBRARY_PATH=$LIBDIR ldd "$TMP/embed/embed" > "$TMP/ldd.txt"
grep -q "$LIBDIR/libmie.so" "$TMP/ldd.txt" || fail "embed does not load $LIBDIR/libmie.so: $(grep mie "$TMP/ldd.txt")"

# pkg-config: the same install, compiled by hand
PKG_CONFIG_PATH=$LIBDIR/pkgconfig pkg-config --modversion mie | grep -qx "$(sed -n 's/^project(mie VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")" \
  || fail "pkg-config --modversion mie"
c++ -O1 -o "$TMP/embed-pc" "$SRC/examples/embed/main.cpp" $(PKG_CONFIG_PATH=$LIBDIR/pkgconfig pkg-config --cflags --libs mie) \
  || fail "compile with pkg-config's flags"
LD_LIBRARY_PATH=$LIBDIR "$TMP/embed-pc" "$MODEL" "$TEXT" "$PHOTO" 2> /dev/null | cmp - "$TMP/cli.jsonl" || fail "pkg-config build differs"

# a bad model file is a mie::Error with the file named, exit 2
set +e
LD_LIBRARY_PATH=$LIBDIR "$TMP/embed/embed" "$PHOTO" "$TEXT" > /dev/null 2> "$TMP/err"; rc=$?
set -e
[[ $rc == 2 ]] && grep -q "messi5.jpg" "$TMP/err" || fail "bad model: rc $rc $(cat "$TMP/err")"
echo "PASS install e2e"
