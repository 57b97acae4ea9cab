// The text of an errno value, safe to use twice in one expression.
// std::strerror() may format an errno glibc does not know (a trace can carry
// any number, `error: -1`) into a buffer the next call frees, so two results
// in one absl::StrFormat read freed memory. This returns its own string.
#ifndef IOVACHECK_MODEL_ERRNO_TEXT_H_
#define IOVACHECK_MODEL_ERRNO_TEXT_H_

#include <string>

namespace iovacheck {

// "File exists" for EEXIST; "Unknown error -1" for what glibc does not know.
std::string ErrnoText(int err);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_ERRNO_TEXT_H_
