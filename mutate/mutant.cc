#include "mutate/mutant.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace iovacheck {

std::string Mutant::Id() const {
  // Two mutants of one operator at one offset differ in their replacement
  // ((x + 1) and (x - 1)): its FNV-1a hash, the same on every machine,
  // tells them apart.
  uint32_t h = 2166136261u;
  for (unsigned char c : replacement) h = (h ^ c) * 16777619u;
  return absl::StrCat(file, ":", line, ":", op, "@", offset, ".", absl::Hex(h, absl::kZeroPad8));
}

std::string ApplyMutant(const std::string& text, const Mutant& m) {
  return absl::StrCat(text.substr(0, m.offset), m.replacement,
                      text.substr(m.offset + m.length));
}

std::string MutantDiff(const std::string& text, const Mutant& m) {
  // The whole lines around the edit, in the original and in the mutant.
  const size_t begin = text.rfind('\n', m.offset == 0 ? 0 : m.offset - 1);
  const size_t from = begin == std::string::npos || m.offset == 0 ? 0 : begin + 1;
  size_t to = text.find('\n', m.offset + m.length);
  if (to == std::string::npos) to = text.size();
  const std::string before = text.substr(from, to - from);
  const std::string after = absl::StrCat(text.substr(from, m.offset - from), m.replacement,
                                         text.substr(m.offset + m.length, to - m.offset - m.length));
  std::string out = absl::StrCat(m.file, ":", m.line, " ", m.op, "\n");
  for (absl::string_view l : absl::StrSplit(before, '\n')) absl::StrAppend(&out, "- ", l, "\n");
  for (absl::string_view l : absl::StrSplit(after, '\n')) absl::StrAppend(&out, "+ ", l, "\n");
  return out;
}

}  // namespace iovacheck
