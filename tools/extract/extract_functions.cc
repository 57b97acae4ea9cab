// extract_functions: cuts named top-level C definitions out of a source file
// verbatim, each preceded by a #line directive naming the original file and
// line (see extract.h for what counts as a definition).
//
//   extract_functions --input=FILE --output=OUT [--line-path=PATH] NAME...
//
// --line-path is the file name written into the #line directives (default:
// FILE as given). A name of the form `struct X` needs quoting in a shell.
// Exit status 0 on success; 1 when a name is missing or ambiguous (the
// message names the file and every such name); 2 on usage or I/O errors.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/extract/extract.h"

namespace {

int Usage(const char* why) {
  std::cerr << "extract_functions: " << why << "\n"
            << "usage: extract_functions --input=FILE --output=OUT "
               "[--line-path=PATH] NAME...\n";
  return 2;
}

bool StartsWith(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, output, line_path;
  std::vector<std::string> names;
  for (int k = 1; k < argc; ++k) {
    std::string arg = argv[k];
    if (StartsWith(arg, "--input=")) {
      input = arg.substr(8);
    } else if (StartsWith(arg, "--output=")) {
      output = arg.substr(9);
    } else if (StartsWith(arg, "--line-path=")) {
      line_path = arg.substr(12);
    } else if (StartsWith(arg, "--")) {
      return Usage(("unknown option " + arg).c_str());
    } else {
      names.push_back(arg);
    }
  }
  if (input.empty() || output.empty()) return Usage("--input and --output are required");
  if (names.empty()) return Usage("no names given");
  if (line_path.empty()) line_path = input;

  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "extract_functions: cannot read " << input << ": "
              << std::strerror(errno) << "\n";
    return 2;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();

  std::string text, error;
  if (!iovacheck::extract::Extract(buffer.str(), names, line_path, &text,
                                   &error)) {
    std::cerr << "extract_functions: " << error << "\n";
    return 1;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "extract_functions: cannot write " << output << "\n";
    return 2;
  }
  return 0;
}
