# Sourced by the project's scripts: `unpack_bundled_model` writes model/classifier.mcm from the
# xz-compressed model/classifier.mcm.xz that git keeps (6.5 MB of model in 4.0 MB of
# repository), when it is missing or older than the compressed copy. Needs xz-utils (installed
# when missing) and the project's root as the current folder.
unpack_bundled_model() {
    local packed=model/classifier.mcm.xz model=model/classifier.mcm
    [ -f "$model" ] && [ "$model" -nt "$packed" ] && return 0
    require_packages xz-utils
    xz --decompress --stdout "$packed" >"$model.unpacking"
    mv "$model.unpacking" "$model"
}
