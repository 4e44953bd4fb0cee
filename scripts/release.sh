#!/usr/bin/env bash
# Builds the self-contained release artifact, for hosts without Swift:
#   dist/movieclassifier-VERSION-linux-x86_64.tar.gz, holding movieclassifier-VERSION/ with
#   bin/movieclassifier-fcgi and bin/movieclassifier (release, --static-swift-stdlib, libfcgi,
#   SQLite and zlib linked statically, stripped), model/classifier.mcm, www/, the configuration
#   examples nginx/, apache/, systemd/, and INSTALL.
# The binaries need only glibc-level libraries (libc, libm, libstdc++, libgcc_s): it checks that
# with ldd and fails otherwise. Prints the tarball's path.
#
#   scripts/release.sh [--version V]     V defaults to `git describe --tags --always --dirty`
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(git describe --tags --always --dirty 2>/dev/null || echo unversioned)
case ${1:-} in
    --version) version=${2:?--version needs a value} ;;
    "") ;;
    *) sed -n '/^#   scripts/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
[[ $version =~ ^[A-Za-z0-9._+-]+$ ]] || { echo "--version: letters, digits and . _ + - only, not '$version'" >&2; exit 2; }

source scripts/require-packages.sh
source scripts/static-build.sh
require_packages zlib1g-dev libdeflate-dev libfcgi-dev libsqlite3-dev binutils
source scripts/bundled-model.sh
unpack_bundled_model
echo "building (release, static) ..." >&2
static_build --product movieclassifier-fcgi >&2
static_build --product movieclassifier >&2
bin=$(static_build_bin_path)

name=movieclassifier-$version
stage=$(mktemp -d /tmp/movieclassifier-release.XXXXXX)
trap 'rm -rf "$stage"' EXIT
package=$stage/$name
mkdir -p "$package/bin" "$package/model" "$package/nginx"
for program in movieclassifier-fcgi movieclassifier; do
    strip -o "$package/bin/$program" "$bin/$program"
    # Anything beyond the C and C++ runtimes would have to be installed on the host.
    extra=$(ldd "$package/bin/$program" | awk '{ print $1 }' | grep -Ev '^(linux-vdso\.so|/lib64/ld-linux-x86-64\.so|lib(c|m|stdc\+\+|gcc_s|pthread|dl|rt)\.so)' || true)
    [ -z "$extra" ] || { echo "$program needs libraries a bare host may lack: $extra" >&2; exit 1; }
done
cp model/classifier.mcm "$package/model/"
cp -r www "$package/www"
cp nginx/movieclassifier.conf nginx/fastcgi-params.conf nginx/spawn-fcgi.sh "$package/nginx/"
cp -r apache systemd "$package/"
sed "s/@VERSION@/$version/" scripts/INSTALL.template >"$package/INSTALL"

mkdir -p dist
tarball=dist/$name-linux-x86_64.tar.gz
tar -C "$stage" --owner=0 --group=0 -czf "$tarball" "$name"
echo "$root/$tarball"
