#include "KeyRecord.h"

#include "jose/Jwk.h"

#include <QCoreApplication>
#include <QJsonDocument>

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

QDateTime parseTime(const QJsonValue& value)
{
    return value.isString() ? QDateTime::fromString(value.toString(), Qt::ISODate) : QDateTime();
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
    QJsonObject json;
    json[QStringLiteral("id")] = id;
    json[QStringLiteral("name")] = name;
    json[QStringLiteral("set")] = keySet;
    json[QStringLiteral("kid")] = kid;
    json[QStringLiteral("alg")] = alg;
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
    return json;
}

Result<KeyRecord> KeyRecord::fromJson(const QJsonObject& json)
{
    KeyRecord record;
    record.id = json.value(QStringLiteral("id")).toString();
    if (record.id.isEmpty())
        return Result<KeyRecord>::failure(ErrorCode::Io, KeyRecordText::tr("a key entry has no id"));
    const auto status = keyStatusFromName(json.value(QStringLiteral("status")).toString());
    if (!status) {
        return Result<KeyRecord>::failure(ErrorCode::Io,
                                          KeyRecordText::tr("key %1 has an unknown status \"%2\"")
                                              .arg(record.id, json.value(QStringLiteral("status")).toString()));
    }
    record.status = *status;
    record.name = json.value(QStringLiteral("name")).toString();
    record.keySet = json.value(QStringLiteral("set")).toString();
    record.kid = json.value(QStringLiteral("kid")).toString();
    record.alg = json.value(QStringLiteral("alg")).toString();
    record.kty = json.value(QStringLiteral("kty")).toString();
    record.description = json.value(QStringLiteral("description")).toString();
    record.created = parseTime(json.value(QStringLiteral("created")));
    record.retireAfter = parseTime(json.value(QStringLiteral("retireAfter")));
    record.publicJwk = json.value(QStringLiteral("publicJwk")).toObject();
    record.thumbprint = json.value(QStringLiteral("thumbprint")).toString();
    record.hasSecret = json.value(QStringLiteral("hasSecret")).toBool();
    record.rotatedFrom = json.value(QStringLiteral("rotatedFrom")).toString();
    record.rotatedTo = json.value(QStringLiteral("rotatedTo")).toString();
    record.source = json.value(QStringLiteral("source")).toString();
    record.remote = json.value(QStringLiteral("remote")).toBool();
    record.fetched = parseTime(json.value(QStringLiteral("fetched")));
    record.jwksUrl = json.value(QStringLiteral("jwksUrl")).toString();
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
    key.metadata.source = KeyRecordText::tr("key store: %1").arg(name);
    return key;
}

QString defaultAlgForKey(const Key& key)
{
    switch (key.type()) {
    case KeyType::Rsa:
        return QStringLiteral("RS256");
    case KeyType::Ec: {
        const QString curve = key.curve();
        if (curve == QLatin1String("P-384"))
            return QStringLiteral("ES384");
        if (curve == QLatin1String("P-521"))
            return QStringLiteral("ES512");
        if (curve == QLatin1String("secp256k1"))
            return QStringLiteral("ES256K");
        return QStringLiteral("ES256");
    }
    case KeyType::Okp:
        return QStringLiteral("EdDSA");
    case KeyType::Oct:
        // RFC 7518 §3.2: the secret must be at least the hash size, so the largest hash it can serve.
        if (key.bits() >= 512)
            return QStringLiteral("HS512");
        if (key.bits() >= 384)
            return QStringLiteral("HS384");
        return QStringLiteral("HS256");
    }
    return {};
}

KeyRecord describeKey(const Key& key)
{
    KeyRecord record;
    record.kty = key.jwkKty();
    record.description = key.description();
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

} // namespace jwti
