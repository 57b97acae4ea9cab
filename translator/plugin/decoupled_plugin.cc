// `decoupled` as a plug-in: the same sources as the in-process translator.
#include "translator/decoupled_translator.h"
#include "translator/plugin/export_translator.h"

IOVACHECK_EXPORT_TRANSLATOR("decoupled", &::iovacheck::DecoupledTranslator::Create)
