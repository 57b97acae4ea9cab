// One mutant: a small edit of one source file, named so that the same edit
// gets the same name on every run (the results file of a campaign is keyed
// by it, which makes a run resumable).
#ifndef IOVACHECK_MUTATE_MUTANT_H_
#define IOVACHECK_MUTATE_MUTANT_H_

#include <cstddef>
#include <string>

namespace iovacheck {

struct Mutant {
  std::string file;  // relative to the workspace
  int line = 0;      // 1-based line of `offset`
  std::string op;    // the operator that made it (mutate/operators.h)
  size_t offset = 0; // the bytes [offset, offset + length) become `replacement`
  size_t length = 0;
  std::string replacement;

  // "translator/iova_allocator.cc:16:relational@412.8c3e5b1f" (the last
  // part a hash of the replacement): stable while the file is unchanged,
  // and different for any two mutants of one file.
  std::string Id() const;
};

// `text` (the file's content) with the mutant's edit made.
std::string ApplyMutant(const std::string& text, const Mutant& m);

// The lines the mutant touches, before and after, as a unified-diff hunk
// body ("- old\n+ new\n"), headed by "file:line op".
std::string MutantDiff(const std::string& text, const Mutant& m);

}  // namespace iovacheck

#endif  // IOVACHECK_MUTATE_MUTANT_H_
