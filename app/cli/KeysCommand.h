#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <QIODevice>
#include <QStringList>
#include <QTextStream>
#include <vector>

namespace jwti {

// `jwt-inspector keys list|import|generate|export|rotate|retire|delete …` over the keychain store.
// args are the words after "keys". Returns a CliExit code.
int runKeysCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

// The keys of the store usable for verifying (active and verify-only, with their kid/alg metadata and key store
// provenance), for `verify --keystore [--kid KID]`: narrowed by kid, then by alg, before any secret is read. With a
// kid, only that key (KeyNotFound when none has it). A key whose secret cannot be read is left out and named in
// skipped (one line each); the call fails only when no key loads, with that key's error (a keychain failure is
// ErrorCode::Keychain, exit 3).
Result<std::vector<Key>> loadKeystoreKeys(const QString& kid, const QString& alg = {}, QStringList* skipped = nullptr);

// The key `sign --keystore [--kid K] [--set S] --alg ALG` signs with (KeyStore::selectSigningKey), private part
// loaded from the keychain.
Result<Key> loadKeystoreSigningKey(const QString& alg, const QString& kid, const QString& keySet);

// The keys `decrypt --keystore [--set S] [--kid K]` may decrypt with: stored encryption keys (use "enc")
// with their private part or secret, active or verify-only, narrowed by kid and set before any secret is read, each
// with its key store provenance. KeyNotFound when none fits; unreadable keys are named in skipped.
Result<std::vector<Key>> loadKeystoreDecryptionKeys(const QString& kid, const QString& keySet,
                                                    QStringList* skipped = nullptr);

} // namespace jwti
