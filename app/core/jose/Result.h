#pragma once

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace jwti {

// Stable error codes. The UI and the command line map them to words; tests assert on them.
enum class ErrorCode {
    // Input
    Usage,
    MalformedToken,
    Base64,
    Json,
    HeaderInvalid,
    PayloadInvalid,
    // Keys
    KeyInvalid,
    KeyUnsupported,
    KeyMismatch,
    KeyWeak,
    KeyNotFound,
    KeyAmbiguous,
    KeyUseForbidden,
    PassphraseRequired,
    PassphraseWrong,
    // Algorithms
    AlgUnknown,
    AlgNone,
    AlgNotAllowed,
    AlgMismatch,
    // Signatures
    SignatureInvalid,
    SignatureMalformed,
    // Encryption (JWE): the token does not decrypt or authenticate with the key; never says which step failed
    DecryptionFailed,
    // Claims
    Expired,
    NotYetValid,
    IssuedInFuture,
    AudienceMismatch,
    IssuerMismatch,
    CritUnsupported,
    ClaimInvalid,
    // Environment
    Io,
    Crypto,
    Keychain,
    Network,
};

// The stable name of a code, e.g. "SignatureInvalid".
QString errorCodeName(ErrorCode code);

struct Error
{
    ErrorCode code = ErrorCode::Crypto;
    QString message;
};

// A value or an error; no exceptions cross our APIs.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::move(value))
    {
    }
    Result(Error error)
        : m_state(std::move(error))
    {
    }
    static Result failure(ErrorCode code, QString message) { return Result(Error{code, std::move(message)}); }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(m_state); }
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const Error& error() const { return std::get<Error>(m_state); }
    ErrorCode code() const { return error().code; }
    const QString& message() const { return error().message; }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {
    }
    static Result failure(ErrorCode code, QString message) { return Result(Error{code, std::move(message)}); }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }
    ErrorCode code() const { return m_error->code; }
    const QString& message() const { return m_error->message; }

private:
    std::optional<Error> m_error;
};

} // namespace jwti
