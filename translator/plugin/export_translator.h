// Builds one of our C++ translators as a plug-in: the C function table over a
// TranslatorFactory, so that the same sources run in-process and through the
// plug-in boundary (and a test can show both give the same traces).
//
//   IOVACHECK_EXPORT_TRANSLATOR("decoupled", &DecoupledTranslator::Create)
//
// in one .cc of a cc_binary(linkshared = 1) defines the entry point.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_EXPORT_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_EXPORT_TRANSLATOR_H_

#include "translator/plugin/iovacheck_plugin.h"
#include "translator/translator.h"

namespace iovacheck {

// A table whose instances are made by `factory`; `name` must outlive it.
const iovacheck_plugin* ExportedTranslatorTable(const char* name, TranslatorFactory factory);

}  // namespace iovacheck

#define IOVACHECK_EXPORT_TRANSLATOR(NAME, FACTORY)                                   \
  extern "C" __attribute__((visibility("default"))) const iovacheck_plugin*          \
  iovacheck_plugin_entry(void) {                                                     \
    static const iovacheck_plugin* table =                                           \
        ::iovacheck::ExportedTranslatorTable(NAME, FACTORY);                         \
    return table;                                                                    \
  }

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_EXPORT_TRANSLATOR_H_
