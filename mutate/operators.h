// The mutation operators: each finds, in the code of one C++ file, the places
// where a plausible one-line bug could sit, and makes that bug. They work on
// text, not on a parse tree, guided by the project's clang-format style
// (binary operators between spaces, one statement a line); a mutant that
// does not compile is reported as stillborn and left out of the kill rate.
//
//   relational         a < b  <->  a <= b,  a > b  <->  a >= b
//   equality           a == b <->  a != b
//   negated_condition  if (c) / while (c)  ->  if (!(c))
//   off_by_one         x + 1, x - 1 lose the 1; an address or size in a
//                      condition or a return value becomes (x + 1), (x - 1)
//   dropped_statement  a call or assignment statement becomes {}
//   swapped_arguments  f(a, b)  ->  f(b, a), each neighbouring pair
//   page_size          a use of the page size becomes 4 KiB or 64 KiB
#ifndef IOVACHECK_MUTATE_OPERATORS_H_
#define IOVACHECK_MUTATE_OPERATORS_H_

#include <string>
#include <vector>

#include "mutate/mutant.h"

namespace iovacheck {

const std::vector<std::string>& OperatorNames();

// Every mutant of `text` (the content of `file`), in the order of their
// offsets; the same text gives the same list.
std::vector<Mutant> FindMutants(const std::string& file, const std::string& text);

}  // namespace iovacheck

#endif  // IOVACHECK_MUTATE_OPERATORS_H_
