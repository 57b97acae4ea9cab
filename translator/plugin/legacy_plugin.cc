// `legacy` as a plug-in: the same sources as the in-process translator.
#include "translator/legacy_translator.h"
#include "translator/plugin/export_translator.h"

IOVACHECK_EXPORT_TRANSLATOR("legacy", &::iovacheck::LegacyTranslator::Create)
