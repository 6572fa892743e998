#include "keystore/SecretPack.h"

#include <QCoreApplication>
#include <QSet>
#include <cstring>

namespace jwti {

struct SecretPackText
{
    Q_DECLARE_TR_FUNCTIONS(SecretPack)
};

namespace {

constexpr char kMagic[] = "JWTI-PACK\x01";
constexpr qsizetype kMagicSize = sizeof kMagic - 1;

void putBigEndian(char* out, quint64 value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i) {
        out[i] = char(value & 0xff);
        value >>= 8;
    }
}

quint64 getBigEndian(const char* in, int bytes)
{
    quint64 value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | quint8(in[i]);
    return value;
}

Error damaged(const QString& why)
{
    return Error{ErrorCode::KeyInvalid, SecretPackText::tr("the keychain pack is damaged: %1").arg(why)};
}

} // namespace

SecretBytes encodeSecretPack(const std::vector<SecretPackMember>& members)
{
    qsizetype size = kMagicSize;
    for (const SecretPackMember& member : members)
        size += 2 + member.id.toLatin1().size() + 4 + member.secret.size();
    // One buffer of the final size, written in place and wiped after the copy: no reallocation leaves a secret
    // behind in freed memory.
    QByteArray buffer(size, Qt::Uninitialized);
    char* out = buffer.data();
    std::memcpy(out, kMagic, kMagicSize);
    out += kMagicSize;
    for (const SecretPackMember& member : members) {
        const QByteArray id = member.id.toLatin1();
        putBigEndian(out, quint64(id.size()), 2);
        out += 2;
        std::memcpy(out, id.constData(), std::size_t(id.size()));
        out += id.size();
        putBigEndian(out, quint64(member.secret.size()), 4);
        out += 4;
        if (member.secret.size() > 0)
            std::memcpy(out, member.secret.data(), std::size_t(member.secret.size()));
        out += member.secret.size();
    }
    SecretBytes pack(buffer);
    wipeBytes(buffer);
    return pack;
}

Result<std::vector<SecretPackMember>> decodeSecretPack(const SecretBytes& pack)
{
    const QByteArrayView bytes = pack.view();
    if (bytes.size() < kMagicSize || bytes.first(kMagicSize) != QByteArrayView(kMagic, kMagicSize))
        return damaged(SecretPackText::tr("it does not begin with the pack signature"));
    std::vector<SecretPackMember> members;
    QSet<QString> ids;
    qsizetype at = kMagicSize;
    while (at < bytes.size()) {
        if (bytes.size() - at < 2)
            return damaged(SecretPackText::tr("member %1 is cut short").arg(members.size() + 1));
        const qsizetype idSize = qsizetype(getBigEndian(bytes.data() + at, 2));
        at += 2;
        if (idSize == 0 || bytes.size() - at < idSize + 4)
            return damaged(SecretPackText::tr("member %1 is cut short").arg(members.size() + 1));
        const QString id = QString::fromLatin1(bytes.sliced(at, idSize));
        at += idSize;
        const qsizetype secretSize = qsizetype(getBigEndian(bytes.data() + at, 4));
        at += 4;
        if (bytes.size() - at < secretSize)
            return damaged(SecretPackText::tr("the secret of member %1 is cut short").arg(members.size() + 1));
        if (ids.contains(id))
            return damaged(SecretPackText::tr("the id %1 is there twice").arg(id));
        ids.insert(id);
        members.push_back({id, SecretBytes(bytes.sliced(at, secretSize))});
        at += secretSize;
    }
    return members;
}

Result<SecretBytes> secretPackMember(const SecretBytes& pack, const QString& id)
{
    auto decoded = decodeSecretPack(pack);
    if (!decoded)
        return decoded.error();
    std::vector<SecretPackMember> members = std::move(decoded).value();
    for (SecretPackMember& member : members) {
        if (member.id == id)
            return std::move(member.secret);
    }
    return Error{ErrorCode::KeyNotFound, SecretPackText::tr("the keychain pack holds no secret for this key")};
}

} // namespace jwti
