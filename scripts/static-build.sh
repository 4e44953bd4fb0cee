# Sourced: builds with the Swift standard library, Foundation, libfcgi, SQLite, zlib and libdeflate linked
# statically, so that the binaries need only glibc-level libraries on the host.
#   static_build [swift build arguments...]   release build into .build-static
#   static_build_bin_path                     its products folder
# SwiftPM links system libraries by name (-lfcgi, -lsqlite3, -lz, -ldeflate from the module maps), and the
# linker takes the first folder that has a libNAME.so or libNAME.a: a folder holding only the
# Debian static archives, searched first, makes it take those.
static_build_libs() {
    local folder=.build-static/static-libs library
    mkdir -p "$folder"
    for library in fcgi sqlite3 z deflate; do
        [ -f "/usr/lib/x86_64-linux-gnu/lib$library.a" ] || { echo "missing /usr/lib/x86_64-linux-gnu/lib$library.a (libfcgi-dev, libsqlite3-dev, zlib1g-dev, libdeflate-dev)" >&2; return 1; }
        ln -sf "/usr/lib/x86_64-linux-gnu/lib$library.a" "$folder/"
    done
    echo "$PWD/$folder"
}
static_build() {
    local libs
    libs=$(static_build_libs)
    swift build -c release --static-swift-stdlib --scratch-path .build-static -Xlinker -L"$libs" "$@"
}
static_build_bin_path() {
    static_build --show-bin-path
}
