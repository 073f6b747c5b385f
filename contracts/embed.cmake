# Writes OUT: a C++ file defining carledger::BuiltinContractSource(name) over SOURCES.
set(body "#include \"contracts/builtin.h\"\n\nnamespace carledger {\n\nconst std::string* BuiltinContractSource(const std::string& name) {\n")
foreach(src ${SOURCES})
  get_filename_component(name ${src} NAME_WE)
  file(READ ${SRC_DIR}/${src} text)
  string(APPEND body "  if (name == \"${name}\") {\n    static const std::string s = R\"CLSRC(${text})CLSRC\";\n    return &s;\n  }\n")
endforeach()
string(APPEND body "  return nullptr;\n}\n\n}  // namespace carledger\n")
file(WRITE ${OUT} "${body}")
