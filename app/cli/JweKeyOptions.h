#pragma once

#include "cli/ArgParser.h"
#include "cli/KeySpecOptions.h"
#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <vector>

namespace jwti {

// The keys of decrypt and encrypt: KEYSPEC as for verify, or --password-file F (a PBES2 password: the file's bytes,
// one trailing newline ignored) instead.
namespace JweKeyOptions {

void add(ArgParser& parser);
QString helpText();
Result<std::vector<Key>> load(ArgParser& parser, const KeySpecOptions::KeyHints& hints = {});

} // namespace JweKeyOptions
} // namespace jwti
