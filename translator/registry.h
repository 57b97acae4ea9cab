// The production translators iovacheck knows, by name.
#ifndef IOVACHECK_TRANSLATOR_REGISTRY_H_
#define IOVACHECK_TRANSLATOR_REGISTRY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "translator/translator.h"

namespace iovacheck {

// Every registered name, sorted.
std::vector<std::string> TranslatorNames();

// The factory registered as `name`; NotFound (listing the known names)
// otherwise.
absl::StatusOr<TranslatorFactory> FindTranslator(absl::string_view name);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_REGISTRY_H_
