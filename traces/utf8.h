// Protobuf's string fields must hold UTF-8: a binary trace carrying any
// other byte can never be parsed back, whatever wrote it. So strings are
// checked where they enter (a text trace, a compact trace's literal name)
// and strings we make from the outside world (a file's path) are escaped.
#ifndef IOVACHECK_TRACES_UTF8_H_
#define IOVACHECK_TRACES_UTF8_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace iovacheck {

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool IsUtf8(absl::string_view s);

// `s` with every byte that is not part of well-formed UTF-8 written as
// \xNN (and backslashes doubled, so the escaping is unambiguous).
std::string EscapeNonUtf8(absl::string_view s);

// Every string field of `message`, nested messages included, is UTF-8;
// otherwise InvalidArgument naming the field ("section.name").
absl::Status CheckUtf8Strings(const google::protobuf::Message& message);

// Escapes (EscapeNonUtf8) every string field of `message` that is not UTF-8.
void EscapeNonUtf8Strings(google::protobuf::Message* message);

// Fields this iovacheck does not know (written by a newer one), anywhere in
// `message`: a text trace cannot carry them back.
bool HasUnknownFields(const google::protobuf::Message& message);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_UTF8_H_
