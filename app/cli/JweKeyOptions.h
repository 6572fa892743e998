#pragma once

#include "ArgParser.h"
#include "KeySpecOptions.h"
#include "crypto/Key.h"
#include "jose/Result.h"

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
