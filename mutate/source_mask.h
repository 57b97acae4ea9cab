// Which bytes of a C++ source file are code: not inside a comment, a string
// or character literal, or a preprocessor line. The mutation operators
// (mutate/operators.h) look at code only, so a mutant never edits a comment,
// a message or an #include.
#ifndef IOVACHECK_MUTATE_SOURCE_MASK_H_
#define IOVACHECK_MUTATE_SOURCE_MASK_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace iovacheck {

// One flag per byte of `text`: true where the byte is code. Literals are not
// code as a whole, their quotes included; so are comments and preprocessor
// lines (with their backslash continuations).
std::vector<bool> CodeMask(absl::string_view text);

}  // namespace iovacheck

#endif  // IOVACHECK_MUTATE_SOURCE_MASK_H_
