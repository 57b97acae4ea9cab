#include "props/property_settings.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

absl::Status Positive(const std::optional<int>& value, const std::string& from) {
  if (value && *value <= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s=%d: want a positive number", from, *value));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<DeviceKind>> Kind(const std::string& text, const std::string& from) {
  if (text == "dma_map") return std::optional<DeviceKind>(DeviceKind::kDmaMap);
  if (text == "set_map") return std::optional<DeviceKind>(DeviceKind::kSetMap);
  if (text == "any") return std::optional<DeviceKind>();
  return absl::InvalidArgumentError(
      absl::StrFormat("%s=%s: want dma_map, set_map or any", from, text));
}

// Applies one layer, labelled by where its values came from.
absl::Status Apply(const SettingsLayer& layer, const std::string& cases_from,
                   const std::string& length_from, const std::string& kind_from,
                   const std::string& features_from, EffectiveSettings* out) {
  if (absl::Status s = Positive(layer.cases, cases_from); !s.ok()) return s;
  if (absl::Status s = Positive(layer.max_length, length_from); !s.ok()) return s;
  if (layer.cases) {
    out->value.cases = *layer.cases;
    out->cases_from = cases_from;
  }
  if (layer.max_length) {
    out->value.max_length = *layer.max_length;
    out->max_length_from = length_from;
  }
  if (layer.device_kind) {
    absl::StatusOr<std::optional<DeviceKind>> kind = Kind(*layer.device_kind, kind_from);
    if (!kind.ok()) return kind.status();
    out->value.kind = *kind;
    out->kind_from = kind_from;
  }
  if (layer.features) {
    absl::StatusOr<uint64_t> features = ParseFeatures(*layer.features);
    if (!features.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s=%s: %s", features_from, *layer.features,
                                                        features.status().message()));
    }
    out->value.features = *features;
    out->features_from = features_from;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<int>> EnvNumber(const GetEnv& env, const char* name) {
  const char* text = env(name);
  if (text == nullptr || *text == '\0') return std::optional<int>();
  int value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s=%s: want a positive number", name, text));
  }
  return std::optional<int>(value);
}

}  // namespace

GetEnv ProcessEnv() {
  return [](const char* name) { return std::getenv(name); };
}

absl::StatusOr<EffectiveSettings> ResolveSettings(const PropertySettings& declared,
                                                  const SettingsLayer& caller,
                                                  const SettingsLayer& command_line,
                                                  const GetEnv& env) {
  EffectiveSettings out;
  out.value = declared;
  if (absl::Status s = Apply(caller, "test", "test", "test", "test", &out); !s.ok()) return s;
  SettingsLayer from_env;
  absl::StatusOr<std::optional<int>> cases = EnvNumber(env, "IOVACHECK_CASES");
  if (!cases.ok()) return cases.status();
  absl::StatusOr<std::optional<int>> length = EnvNumber(env, "IOVACHECK_MAX_LENGTH");
  if (!length.ok()) return length.status();
  from_env.cases = *cases;
  from_env.max_length = *length;
  if (const char* kind = env("IOVACHECK_DEVICE_KIND"); kind != nullptr && *kind != '\0') {
    from_env.device_kind = kind;
  }
  if (const char* features = env("IOVACHECK_FEATURES"); features != nullptr && *features != '\0') {
    from_env.features = features;
  }
  if (absl::Status s = Apply(from_env, "IOVACHECK_CASES", "IOVACHECK_MAX_LENGTH",
                             "IOVACHECK_DEVICE_KIND", "IOVACHECK_FEATURES", &out);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          Apply(command_line, "--cases", "--max_length", "--device_kind", "--features", &out);
      !s.ok()) {
    return s;
  }
  return out;
}

std::string FormatSettings(const EffectiveSettings& s) {
  const char* kind = !s.value.kind                          ? "any"
                     : *s.value.kind == DeviceKind::kDmaMap ? "dma_map"
                                                            : "set_map";
  return absl::StrFormat("cases %d (%s), max length %d (%s), device kind %s (%s), features %s (%s)",
                         s.value.cases, s.cases_from, s.value.max_length, s.max_length_from, kind,
                         s.kind_from, FeaturesToString(s.value.features), s.features_from);
}

}  // namespace iovacheck
