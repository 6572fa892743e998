#pragma once

// The names of the checks the signature verdict (Verdict.h) and the decryption verdict (DecryptionVerdict.h) list.
// They are stable: scripts read them (verify --json, decrypt --json).

#include <QString>

namespace jwti::checkname {

inline const QString kSignature = QStringLiteral("signature");
inline const QString kAlgAllowed = QStringLiteral("alg-allowed");
inline const QString kKeyFits = QStringLiteral("key-fits");
inline const QString kExp = QStringLiteral("exp");
inline const QString kNbf = QStringLiteral("nbf");
inline const QString kIat = QStringLiteral("iat");
inline const QString kAud = QStringLiteral("aud");
inline const QString kIss = QStringLiteral("iss");
inline const QString kCrit = QStringLiteral("crit");
inline const QString kTyp = QStringLiteral("typ");
inline const QString kKeyManagement = QStringLiteral("key-management");
inline const QString kTag = QStringLiteral("tag");
inline const QString kZip = QStringLiteral("zip");
inline const QString kHeader = QStringLiteral("header");

} // namespace jwti::checkname
