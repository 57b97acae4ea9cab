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

// The factory registered as `name`, or for "plugin:PATH.so" the plug-in at
// PATH; NotFound (listing the known names) or the plug-in loader's refusal
// otherwise.
absl::StatusOr<TranslatorFactory> FindTranslator(absl::string_view name);

// The backend features `name` acks when a device offers them (a plug-in's
// acked_backend_features; every bit for our own translators, or for a name
// that cannot be had). A scenario or property masks its device's features
// with it, as the frontend's negotiation would.
uint64_t AckedBackendFeatures(absl::string_view name);

// Whether `name` retries a device write that failed with EINTR having done
// nothing. Linux never fails a vhost-vdpa write that way; our own translators
// retry it anyway, a plug-in says so with IOVACHECK_PLUGIN_F_RETRIES_EINTR,
// and the simulator injects the fault only where this holds.
bool RetriesInterruptedWrites(absl::string_view name);

// `name` as it may stand in a file name: a registered name as it is,
// "plugin:DIR/my_plugin.so" as "plugin-my_plugin".
std::string TranslatorFileLabel(absl::string_view name);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_REGISTRY_H_
