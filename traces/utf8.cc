#include "traces/utf8.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace iovacheck {
namespace {

// The length of the well-formed UTF-8 sequence at s[i], or 0.
size_t SequenceAt(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b = byte(i);
  if (b < 0x80) return 1;
  size_t n = 0;
  uint32_t lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b == 0xe0) lo = 0xa0;  // no overlong forms
    if (b == 0xed) hi = 0x9f;  // no surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b == 0xf0) lo = 0x90;  // no overlong forms
    if (b == 0xf4) hi = 0x8f;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  return n;
}

absl::Status CheckMessage(const google::protobuf::Message& m, const std::string& prefix) {
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    const std::string name = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
        f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
      for (int i = 0; i < n; ++i) {
        std::string scratch;
        const std::string& v = f->is_repeated() ? r->GetRepeatedStringReference(m, f, i, &scratch)
                                                : r->GetStringReference(m, f, &scratch);
        if (!IsUtf8(v)) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "%s is not UTF-8 (\"%s\"): a trace's strings must be", name, EscapeNonUtf8(v)));
        }
      }
    } else if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          if (absl::Status s = CheckMessage(r->GetRepeatedMessage(m, f, i), name); !s.ok()) {
            return s;
          }
        }
      } else if (absl::Status s = CheckMessage(r->GetMessage(m, f), name); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string EscapeNonUtf8(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceAt(s, i);
    if (n == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<uint8_t>(s[i]));
      ++i;
    } else {
      if (s[i] == '\\') out += '\\';
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

absl::Status CheckUtf8Strings(const google::protobuf::Message& message) {
  return CheckMessage(message, "");
}

void EscapeNonUtf8Strings(google::protobuf::Message* m) {
  const google::protobuf::Reflection* r = m->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    if (f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      const int n = f->is_repeated() ? r->FieldSize(*m, f) : 1;
      for (int i = 0; i < n; ++i) {
        const std::string v =
            f->is_repeated() ? r->GetRepeatedString(*m, f, i) : r->GetString(*m, f);
        if (IsUtf8(v)) continue;
        if (f->is_repeated()) {
          r->SetRepeatedString(m, f, i, EscapeNonUtf8(v));
        } else {
          r->SetString(m, f, EscapeNonUtf8(v));
        }
      }
    } else if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) {
          EscapeNonUtf8Strings(r->MutableRepeatedMessage(m, f, i));
        }
      } else {
        EscapeNonUtf8Strings(r->MutableMessage(m, f));
      }
    }
  }
}

bool HasUnknownFields(const google::protobuf::Message& m) {
  const google::protobuf::Reflection* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) return true;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (HasUnknownFields(r->GetRepeatedMessage(m, f, i))) return true;
      }
    } else if (HasUnknownFields(r->GetMessage(m, f))) {
      return true;
    }
  }
  return false;
}

}  // namespace iovacheck
