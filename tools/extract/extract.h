// Cuts named top-level definitions out of a C source file, verbatim.
//
// The scanner tracks braces, parentheses and brackets while ignoring
// comments, string and character literals and preprocessor lines, so a brace
// inside "..." or a #if never unbalances it. A top-level item is what lies
// between two ends at file scope: a `;` outside every bracket, or the closing
// brace of a function body. Items that can be asked for by name:
//   - function definitions: `vhost_vdpa_dma_map` (the identifier before the
//     header's first parenthesis that is not __attribute__);
//   - variables with an initializer: `vhost_vdpa_memory_listener`;
//   - struct/union/enum definitions with a body: `struct VhostIOVATree`;
//   - typedefs: the name they define (`DMAMap`);
//   - macros at file scope: `#define NAME` (the whole directive, continuation
//     lines included).
// Prototypes and plain declarations are never picked. Everything else in the
// file (other functions, #include lines, comments between items) is left out.
#ifndef IOVACHECK_TOOLS_EXTRACT_EXTRACT_H_
#define IOVACHECK_TOOLS_EXTRACT_EXTRACT_H_

#include <string>
#include <vector>

namespace iovacheck::extract {

struct Item {
  std::string name;  // as it is asked for ("f", "struct S")
  size_t begin = 0;  // byte offsets of the item's text in the file
  size_t end = 0;
  int line = 0;  // 1-based line of `begin`
};

// Every nameable top-level item of `text`, in file order. On malformed input
// (unbalanced braces, an unterminated comment or literal) returns false and
// sets `error` to a message with the line.
bool ScanItems(const std::string& text, std::vector<Item>* items,
               std::string* error);

// The items named `names` (each exactly once in the file), in file order,
// each preceded by a `#line` directive naming `line_path` and the item's line.
// On failure returns false and sets `error`: it names `line_path` and every
// name that is missing or defined more than once.
bool Extract(const std::string& text, const std::vector<std::string>& names,
             const std::string& line_path, std::string* out,
             std::string* error);

}  // namespace iovacheck::extract

#endif  // IOVACHECK_TOOLS_EXTRACT_EXTRACT_H_
