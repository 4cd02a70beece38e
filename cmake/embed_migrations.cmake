# Writes a C++ source holding every migrations/*.sql file as a string, so the
# single sagaflow binary carries its schema. Run by the build with
# -DSOURCE_DIR=<repo> -DOUTPUT=<file>.
file(GLOB files "${SOURCE_DIR}/migrations/*.sql")
list(SORT files)
set(out "// Generated from migrations/*.sql by cmake/embed_migrations.cmake; do not edit.\n")
string(APPEND out "#include \"engine/migrations.hpp\"\n\nnamespace sagaflow {\n\n")
string(APPEND out "const std::vector<Migration>& EmbeddedMigrations() {\n")
string(APPEND out "  static const std::vector<Migration> migrations = {\n")
foreach(file ${files})
  get_filename_component(name ${file} NAME_WE)
  file(READ ${file} content)
  string(APPEND out "      {\"${name}\", R\"sagaflow_sql(${content})sagaflow_sql\"},\n")
endforeach()
string(APPEND out "  };\n  return migrations;\n}\n\n}  // namespace sagaflow\n")
file(WRITE "${OUTPUT}.tmp" "${out}")
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)
