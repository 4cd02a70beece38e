# Writes a C++ source whose function SYMBOL returns the text of INPUT, so the
# single sagaflow binary carries data files such as schemas/openapi.json.
# Run by the build with -DINPUT=<file> -DOUTPUT=<file> -DSYMBOL=<name>
# -DHEADER=<include>.
file(READ "${INPUT}" content)
set(out "// Generated from ${INPUT} by cmake/embed_text.cmake; do not edit.\n")
string(APPEND out "#include \"${HEADER}\"\n\nnamespace sagaflow {\n\n")
string(APPEND out "const std::string& ${SYMBOL}() {\n")
string(APPEND out "  static const std::string text = R\"sagaflow_text(${content})sagaflow_text\";\n")
string(APPEND out "  return text;\n}\n\n}  // namespace sagaflow\n")
file(WRITE "${OUTPUT}.tmp" "${out}")
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)
