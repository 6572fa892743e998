#pragma once

#include "crypto/Key.h"
#include "jose/Result.h"

#include <QIODevice>
#include <QStringList>
#include <QTextStream>
#include <vector>

namespace jwti {

// `jwt-inspector keys list|import|generate|export|rotate|retire|delete …` over the keychain store.
// args are the words after "keys". Returns a CliExit code.
int runKeysCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

// The keys of the store usable for verifying (active and verify-only, with their kid/alg metadata), for
// `verify --keystore [--kid KID]`. With a kid, only that key (KeyNotFound when none has it).
Result<std::vector<Key>> loadKeystoreKeys(const QString& kid);

} // namespace jwti
