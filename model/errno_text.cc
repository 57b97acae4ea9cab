#include "model/errno_text.h"

#include <string.h>

#include "absl/strings/str_cat.h"

namespace iovacheck {

std::string ErrnoText(int err) {
  // strerrordesc_np: glibc's own table, never a formatted buffer (nullptr
  // for what it does not know).
  const char* text = strerrordesc_np(err);
  if (text == nullptr) return absl::StrCat("Unknown error ", err);
  return text;
}

}  // namespace iovacheck
