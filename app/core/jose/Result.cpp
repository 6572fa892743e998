#include "core/jose/Result.h"

namespace jwti {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Usage:
        return QStringLiteral("Usage");
    case ErrorCode::MalformedToken:
        return QStringLiteral("MalformedToken");
    case ErrorCode::Base64:
        return QStringLiteral("Base64");
    case ErrorCode::Json:
        return QStringLiteral("Json");
    case ErrorCode::HeaderInvalid:
        return QStringLiteral("HeaderInvalid");
    case ErrorCode::PayloadInvalid:
        return QStringLiteral("PayloadInvalid");
    case ErrorCode::KeyInvalid:
        return QStringLiteral("KeyInvalid");
    case ErrorCode::KeyUnsupported:
        return QStringLiteral("KeyUnsupported");
    case ErrorCode::KeyMismatch:
        return QStringLiteral("KeyMismatch");
    case ErrorCode::KeyWeak:
        return QStringLiteral("KeyWeak");
    case ErrorCode::KeyNotFound:
        return QStringLiteral("KeyNotFound");
    case ErrorCode::KeyAmbiguous:
        return QStringLiteral("KeyAmbiguous");
    case ErrorCode::KeyUseForbidden:
        return QStringLiteral("KeyUseForbidden");
    case ErrorCode::PassphraseRequired:
        return QStringLiteral("PassphraseRequired");
    case ErrorCode::PassphraseWrong:
        return QStringLiteral("PassphraseWrong");
    case ErrorCode::AlgUnknown:
        return QStringLiteral("AlgUnknown");
    case ErrorCode::AlgNone:
        return QStringLiteral("AlgNone");
    case ErrorCode::AlgNotAllowed:
        return QStringLiteral("AlgNotAllowed");
    case ErrorCode::AlgMismatch:
        return QStringLiteral("AlgMismatch");
    case ErrorCode::SignatureInvalid:
        return QStringLiteral("SignatureInvalid");
    case ErrorCode::SignatureMalformed:
        return QStringLiteral("SignatureMalformed");
    case ErrorCode::DecryptionFailed:
        return QStringLiteral("DecryptionFailed");
    case ErrorCode::Expired:
        return QStringLiteral("Expired");
    case ErrorCode::NotYetValid:
        return QStringLiteral("NotYetValid");
    case ErrorCode::IssuedInFuture:
        return QStringLiteral("IssuedInFuture");
    case ErrorCode::AudienceMismatch:
        return QStringLiteral("AudienceMismatch");
    case ErrorCode::IssuerMismatch:
        return QStringLiteral("IssuerMismatch");
    case ErrorCode::CritUnsupported:
        return QStringLiteral("CritUnsupported");
    case ErrorCode::ClaimInvalid:
        return QStringLiteral("ClaimInvalid");
    case ErrorCode::Io:
        return QStringLiteral("Io");
    case ErrorCode::Crypto:
        return QStringLiteral("Crypto");
    case ErrorCode::Keychain:
        return QStringLiteral("Keychain");
    case ErrorCode::Network:
        return QStringLiteral("Network");
    }
    return QStringLiteral("Unknown");
}

} // namespace jwti
