#pragma once

// The signing side of the model: what a new token is made of and the token made from it. The window's signing
// editor and `jwt-inspector sign` both fill one and ask it to sign; neither builds a header or signs by itself.

#include "core/crypto/Key.h"
#include "core/jose/Json.h"
#include "core/jose/Result.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace jwti {

// Which kid the signed header carries.
enum class KidPolicy {
    None, // the header as written: its own kid if it names one, else none
    FromKey, // the key's own kid (a JWK's, a stored key's); a key without one gets its default kid (RFC 7638
             // thumbprint; never for an HMAC secret). A kid written in the header is the user's own and stays.
    Typed, // the kid typed; a different kid written in the header is an error
};

// Why a token was not signed, and where: the header or payload text (offset in bytes, -1 when the whole part is at
// fault), the algorithm, the key or the kid.
struct SigningError
{
    enum class Place { Header, Payload, Alg, Key, Kid };
    Place place = Place::Key;
    qsizetype offset = -1;
    ErrorCode code = ErrorCode::Usage;
    QString message;
};

class SigningDocument
{
public:
    enum class Part { Header, Payload };

    // Header and payload as JSON text, kept as written: member order and numbers stay, and only the compact form of
    // what is written is signed. An empty header is an empty object: the signer adds alg (and typ, kid).
    void setText(Part part, const QByteArray& utf8);
    const QByteArray& text(Part part) const;
    // The text as parsed (our own parser: order, spans, duplicates).
    const JsonDocument& json(Part part) const;

    // Member edits in the text, at the member's place so the rest stays as written: setMember replaces a member's
    // value (the last one, when a name repeats) or appends the member; removeMember takes out every member of that
    // name with its comma. valueJson is a JSON value ("1700000000", "\"abc\""). Fails when the part is not one object.
    Result<void> setMember(Part part, const QString& name, const QByteArray& valueJson);
    Result<void> removeMember(Part part, const QString& name);

    // What is wrong with a part's text for signing, with its place: not JSON, a header that is not an object, a
    // member written twice. The payload may be any JSON value. sign() refuses on the same grounds.
    std::optional<SigningError> partError(Part part) const;

    void setAlg(const QString& alg) { m_alg = alg; }
    const QString& alg() const { return m_alg; }

    // The key that signs; where it came from is in key->metadata.provenance (typed, file, keychain set and key).
    void setKey(std::optional<Key> key) { m_key = std::move(key); }
    const std::optional<Key>& key() const { return m_key; }

    void setKidPolicy(KidPolicy policy, const QString& typedKid = {});
    KidPolicy kidPolicy() const { return m_kidPolicy; }
    const QString& typedKid() const { return m_typedKid; }
    // The kid a policy gives for the chosen key: empty for None; an error when FromKey has no key, or would expose an
    // HMAC secret's hash, or Typed has nothing typed.
    Result<QString> kidFor(KidPolicy policy, const QString& typedKid = {}) const;

    // Signs the compact form of header and payload with the key (RFC 7515 §7.1): the header gets alg first, typ
    // "JWT" unless it has a typ, the policy's kid, then its own members in order. The header's own alg must equal
    // alg(); a member repeated in either part is refused (RFC 7515 §4, RFC 7519 §4). False with error() set when not.
    bool sign();
    // The last token signed; empty after a failed sign().
    const QByteArray& token() const { return m_token; }
    const std::optional<SigningError>& error() const { return m_error; }

    // The key that signs out of what a key file, a JWK or a JWKS held: the one key; else, by kid when one is
    // given; else the one private key among them. An error says why none (no key with that kid, only public keys,
    // several private keys).
    static Result<Key> chooseSigningKey(const std::vector<Key>& keys, const QString& kid = {});

private:
    struct PartText
    {
        QByteArray text;
        JsonDocument json;
    };
    PartText& part(Part which) { return which == Part::Header ? m_header : m_payload; }
    const PartText& part(Part which) const { return which == Part::Header ? m_header : m_payload; }
    bool fail(SigningError error);

    PartText m_header;
    PartText m_payload;
    QString m_alg;
    std::optional<Key> m_key;
    KidPolicy m_kidPolicy = KidPolicy::None;
    QString m_typedKid;
    QByteArray m_token;
    std::optional<SigningError> m_error;
};

} // namespace jwti
