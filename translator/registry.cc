#include "translator/registry.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "translator/decoupled_translator.h"
#include "translator/legacy_translator.h"

namespace iovacheck {
namespace {

struct Entry {
  const char* name;
  TranslatorFactory factory;
};

const std::vector<Entry>& Entries() {
  // Built once and never destroyed: function-local statics avoid the static
  // initialisation order problem for callers in other translation units.
  static const auto* entries = new std::vector<Entry>{
      {"decoupled", &DecoupledTranslator::Create},
      {"legacy", &LegacyTranslator::Create},
  };
  return *entries;
}

}  // namespace

std::vector<std::string> TranslatorNames() {
  std::vector<std::string> names;
  for (const Entry& e : Entries()) names.emplace_back(e.name);
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<TranslatorFactory> FindTranslator(absl::string_view name) {
  for (const Entry& e : Entries()) {
    if (name == e.name) return e.factory;
  }
  return absl::NotFoundError(absl::StrCat("unknown translator \"", name,
                                          "\"; known: ",
                                          absl::StrJoin(TranslatorNames(), ", ")));
}

}  // namespace iovacheck
