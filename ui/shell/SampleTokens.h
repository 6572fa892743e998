#pragma once

#include "core/crypto/KeyFormats.h"

#include <QString>
#include <QStringList>

namespace jwti {

// A sample token made at run time: a fresh key, a real signature, so every sample verifies with the key it comes
// with (nothing hard-coded that we could not check).
struct SampleToken
{
    QString name;
    QString token;
    bool usesSecret = false; // HMAC: keyText is the secret as text
    QString keyText; // the secret, or the public key as SPKI PEM; empty for alg none
    QString error; // why the sample could not be made (an alg this OpenSSL lacks)
};

class SampleTokens
{
public:
    // One per signing alg, then "none", "expired" and "malformed".
    static QStringList names();
    // Slow for RSA (a key is generated once and then reused): call it off the UI thread.
    static SampleToken make(const QString& name, qint64 now);
    // The HMAC sample secret for an alg: readable text exactly as long as the hash (RFC 7518 §3.2).
    static QString sampleSecret(int bytes);
};

} // namespace jwti
