#include "keystore/KeyRecord.h"

#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>
#include <optional>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyRecord", for the messages here.
struct KeyRecordText
{
    Q_DECLARE_TR_FUNCTIONS(KeyRecord)
};

namespace {

QString isoTime(const QDateTime& time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

QString keyStatusName(KeyStatus status)
{
    switch (status) {
    case KeyStatus::Active:
        return QStringLiteral("active");
    case KeyStatus::VerifyOnly:
        return QStringLiteral("verify-only");
    case KeyStatus::Retired:
        return QStringLiteral("retired");
    }
    return {};
}

std::optional<KeyStatus> keyStatusFromName(QStringView name)
{
    for (const KeyStatus status : {KeyStatus::Active, KeyStatus::VerifyOnly, KeyStatus::Retired}) {
        if (name == keyStatusName(status))
            return status;
    }
    return std::nullopt;
}

QJsonObject KeyRecord::toJson() const
{
    QJsonObject json = unknownMembers;
    json[QStringLiteral("id")] = id;
    json[QStringLiteral("name")] = name;
    json[QStringLiteral("set")] = keySet;
    json[QStringLiteral("kid")] = kid;
    json[QStringLiteral("alg")] = alg;
    // Written only for encryption keys, so an index of signing keys stays byte for byte what older versions read.
    if (use != KeyUse::Signing)
        json[QStringLiteral("use")] = keyUseJwkName(use);
    if (!enc.isEmpty())
        json[QStringLiteral("enc")] = enc;
    json[QStringLiteral("kty")] = kty;
    json[QStringLiteral("description")] = description;
    json[QStringLiteral("status")] = keyStatusName(status);
    json[QStringLiteral("created")] = isoTime(created);
    if (retireAfter.isValid())
        json[QStringLiteral("retireAfter")] = isoTime(retireAfter);
    if (!publicJwk.isEmpty())
        json[QStringLiteral("publicJwk")] = publicJwk;
    if (!thumbprint.isEmpty())
        json[QStringLiteral("thumbprint")] = thumbprint;
    json[QStringLiteral("hasSecret")] = hasSecret;
    if (!secretPack.isEmpty())
        json[QStringLiteral("secretPack")] = secretPack;
    if (!rotatedFrom.isEmpty())
        json[QStringLiteral("rotatedFrom")] = rotatedFrom;
    if (!rotatedTo.isEmpty())
        json[QStringLiteral("rotatedTo")] = rotatedTo;
    json[QStringLiteral("source")] = source;
    if (remote) {
        json[QStringLiteral("remote")] = true;
        json[QStringLiteral("fetched")] = isoTime(fetched);
        json[QStringLiteral("jwksUrl")] = jwksUrl;
    }
    if (deleting)
        json[QStringLiteral("deleting")] = true;
    return json;
}

namespace {

QString jsonTypeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

// Reads one member of a key entry with its type checked; the messages name the member.
class MemberReader
{
public:
    explicit MemberReader(const QJsonObject& json)
        : m_json(json)
    {
    }
    std::optional<Error> error() const { return m_error; }

    QString string(const char* name, bool required)
    {
        const QJsonValue value = m_json.value(QLatin1String(name));
        if (value.isUndefined()) {
            if (required)
                missing(name);
            return {};
        }
        if (!value.isString()) {
            wrongType(name, KeyRecordText::tr("a string"), value);
            return {};
        }
        return value.toString();
    }
    bool boolean(const char* name, bool required)
    {
        const QJsonValue value = m_json.value(QLatin1String(name));
        if (value.isUndefined()) {
            if (required)
                missing(name);
            return false;
        }
        if (!value.isBool()) {
            wrongType(name, KeyRecordText::tr("true or false"), value);
            return false;
        }
        return value.toBool();
    }
    QJsonObject object(const char* name)
    {
        const QJsonValue value = m_json.value(QLatin1String(name));
        if (value.isUndefined())
            return {};
        if (!value.isObject()) {
            wrongType(name, KeyRecordText::tr("an object"), value);
            return {};
        }
        return value.toObject();
    }
    QDateTime time(const char* name)
    {
        const QString text = string(name, false);
        if (text.isEmpty())
            return {};
        const QDateTime parsed = QDateTime::fromString(text, Qt::ISODate);
        if (!parsed.isValid() && !m_error) {
            m_error = Error{ErrorCode::Io,
                            KeyRecordText::tr("\"%1\" is not an ISO 8601 time: \"%2\"").arg(QLatin1String(name), text)};
        }
        return parsed;
    }
    void fail(const QString& message)
    {
        if (!m_error)
            m_error = Error{ErrorCode::Io, message};
    }

private:
    void missing(const char* name)
    {
        QString message = KeyRecordText::tr("\"%1\" is missing").arg(QLatin1String(name));
        // A misspelled member shows up as a missing one beside an unknown one: name the suspect.
        QStringList unknown;
        for (auto it = m_json.begin(); it != m_json.end(); ++it) {
            if (!KeyRecord::knownMembers().contains(it.key()))
                unknown << QStringLiteral("\"%1\"").arg(it.key());
        }
        if (!unknown.isEmpty())
            message
                += KeyRecordText::tr(" (the entry has the unknown member %1)").arg(unknown.join(QStringLiteral(", ")));
        fail(message);
    }
    void wrongType(const char* name, const QString& expected, const QJsonValue& value)
    {
        fail(KeyRecordText::tr("\"%1\" must be %2, not %3").arg(QLatin1String(name), expected, jsonTypeName(value)));
    }

    const QJsonObject& m_json;
    std::optional<Error> m_error;
};

} // namespace

const QStringList& KeyRecord::knownMembers()
{
    static const QStringList members = {
        QStringLiteral("id"),          QStringLiteral("name"),        QStringLiteral("set"),
        QStringLiteral("kid"),         QStringLiteral("alg"),         QStringLiteral("kty"),
        QStringLiteral("description"), QStringLiteral("status"),      QStringLiteral("created"),
        QStringLiteral("retireAfter"), QStringLiteral("publicJwk"),   QStringLiteral("thumbprint"),
        QStringLiteral("hasSecret"),   QStringLiteral("rotatedFrom"), QStringLiteral("rotatedTo"),
        QStringLiteral("source"),      QStringLiteral("remote"),      QStringLiteral("fetched"),
        QStringLiteral("jwksUrl"),     QStringLiteral("deleting"),    QStringLiteral("secretPack"),
        QStringLiteral("use"),         QStringLiteral("enc"),
    };
    return members;
}

Result<KeyRecord> KeyRecord::fromJson(const QJsonObject& json)
{
    KeyRecord record;
    MemberReader read(json);
    record.id = read.string("id", true);
    if (!read.error() && record.id.isEmpty())
        read.fail(KeyRecordText::tr("\"id\" is empty"));
    const QString status = read.string("status", true);
    if (!read.error()) {
        if (const auto known = keyStatusFromName(status))
            record.status = *known;
        else
            read.fail(
                KeyRecordText::tr("\"status\" is \"%1\", which is not active, verify-only or retired").arg(status));
    }
    record.name = read.string("name", true);
    record.keySet = read.string("set", true);
    record.kid = read.string("kid", true);
    record.alg = read.string("alg", true);
    const QString use = read.string("use", false);
    const std::optional<KeyUse> algsUse = algUse(record.alg);
    if (!read.error() && !use.isEmpty()) {
        if (const auto known = keyUseFromJwkName(use))
            record.use = *known;
        else
            read.fail(KeyRecordText::tr("\"use\" is \"%1\", which is not sig or enc").arg(use));
    } else if (algsUse) {
        // Files from before "use" existed: a remote JWKS could already bring an encryption key, named by its alg.
        record.use = *algsUse;
    }
    // The alg must be one of the use's: a record can never offer a signing key for decryption or the reverse.
    if (!read.error() && algsUse && *algsUse != record.use)
        read.fail(KeyRecordText::tr("\"alg\" is \"%1\", which is not %2 algorithm")
                      .arg(record.alg,
                           record.use == KeyUse::Signing ? KeyRecordText::tr("a signing")
                                                         : KeyRecordText::tr("an encryption")));
    record.enc = read.string("enc", false);
    if (!read.error() && !record.enc.isEmpty() && record.alg != QLatin1String("dir"))
        read.fail(KeyRecordText::tr("\"enc\" is set, but only a dir key has one"));
    record.kty = read.string("kty", true);
    if (!read.error() && !keyTypeFromJwkName(record.kty))
        read.fail(KeyRecordText::tr("\"kty\" is \"%1\", which is not RSA, EC, OKP or oct").arg(record.kty));
    record.hasSecret = read.boolean("hasSecret", true);
    record.description = read.string("description", false);
    record.created = read.time("created");
    record.retireAfter = read.time("retireAfter");
    record.publicJwk = read.object("publicJwk");
    if (!read.error() && !record.isSecret() && record.publicJwk.isEmpty())
        read.fail(KeyRecordText::tr("\"publicJwk\" is missing (a %1 key needs its public half)").arg(record.kty));
    if (!read.error() && record.isSecret() && !record.hasSecret)
        read.fail(KeyRecordText::tr("\"hasSecret\" is false, but an HMAC secret has nothing but its secret"));
    record.thumbprint = read.string("thumbprint", false);
    record.rotatedFrom = read.string("rotatedFrom", false);
    record.rotatedTo = read.string("rotatedTo", false);
    record.source = read.string("source", false);
    record.remote = read.boolean("remote", false);
    record.fetched = read.time("fetched");
    record.jwksUrl = read.string("jwksUrl", false);
    record.deleting = read.boolean("deleting", false);
    record.secretPack = read.string("secretPack", false);
    if (!read.error() && json.contains(QLatin1String("secretPack"))) {
        // It names a keychain entry: a UUID, nothing that could point at another item.
        static const QRegularExpression uuid(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
        if (!uuid.match(record.secretPack).hasMatch())
            read.fail(KeyRecordText::tr("\"secretPack\" is \"%1\", which is not a pack id").arg(record.secretPack));
        else if (!record.hasSecret)
            read.fail(KeyRecordText::tr("\"secretPack\" is set, but \"hasSecret\" is false"));
    }
    if (const auto error = read.error())
        return *error;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!knownMembers().contains(it.key()))
            record.unknownMembers.insert(it.key(), it.value());
    }
    return record;
}

Result<Key> KeyRecord::publicKey() const
{
    if (publicJwk.isEmpty()) {
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyRecordText::tr("key \"%1\" is an HMAC secret: it has no public half").arg(name));
    }
    auto imported = importJwk(QJsonDocument(publicJwk).toJson(QJsonDocument::Compact));
    if (!imported)
        return imported;
    Key key = std::move(imported).value();
    key.metadata.kid = kid;
    key.metadata.alg = alg;
    key.metadata.use = keyUseJwkName(use);
    key.metadata.source = KeyRecordText::tr("key store: %1").arg(name);
    return key;
}

KeyRecord describeKey(const Key& key, QStringView alg)
{
    KeyRecord record;
    record.kty = key.jwkKty();
    record.description = describeKeyFor(key, alg);
    record.hasSecret = key.hasPrivate();
    if (key.type() != KeyType::Oct) {
        const Key publicKey = key.publicOnly();
        const QByteArray jwk = exportJwk(publicKey, false, 0);
        QJsonObject object = QJsonDocument::fromJson(jwk).object();
        // kid and alg live in the record; the JWK keeps only the key's own members.
        for (const char* member : {"kid", "alg", "use", "key_ops"})
            object.remove(QLatin1String(member));
        record.publicJwk = object;
        record.thumbprint = thumbprint(publicKey);
    }
    return record;
}

Result<Key> keyFromSecret(const KeyRecord& record, const SecretBytes& secret)
{
    Key key;
    if (record.isSecret()) {
        key = Key::fromSecret(secret);
    } else {
        auto keys = importKeys(secret.view());
        if (!keys)
            return keys.error();
        if (keys->size() != 1 || !keys->front().hasPrivate()) {
            return Result<Key>::failure(
                ErrorCode::KeyInvalid,
                KeyRecordText::tr("the keychain entry of \"%1\" is not one private key").arg(record.name));
        }
        key = keys->front();
    }
    key.metadata.kid = record.kid;
    key.metadata.alg = record.alg;
    key.metadata.use = keyUseJwkName(record.use);
    key.metadata.source = KeyRecordText::tr("key store: %1").arg(record.name);
    return key;
}

} // namespace jwti
