#include "cli/CliIo.h"

#include "cli/ExitCodes.h"

#include <QFile>

namespace jwti {

Result<QByteArray> readFileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(ErrorCode::Io,
                                           QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Result<QByteArray>::failure(ErrorCode::Io,
                                           QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return data;
}

QByteArray readAllInput(QIODevice& in)
{
    return in.readAll();
}

std::optional<QByteArray> decodeHex(QByteArrayView text)
{
    if (text.size() % 2 != 0)
        return std::nullopt;
    QByteArray bytes(text.size() / 2, Qt::Uninitialized);
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const int high = nibble(text[2 * i]);
        const int low = nibble(text[2 * i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        bytes[i] = char((high << 4) | low);
    }
    return bytes;
}

QString terminalSafe(QStringView text)
{
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool bidi = (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069) || u == 0x200E || u == 0x200F;
        if (u < 0x20 || u == 0x7F || (u >= 0x80 && u < 0xA0))
            safe += QStringLiteral("\\x%1").arg(unsigned(u), 2, 16, QLatin1Char('0'));
        else if (bidi)
            safe += QStringLiteral("\\u{%1}").arg(unsigned(u), 4, 16, QLatin1Char('0'));
        else
            safe += c;
    }
    return safe;
}

QString terminalSafeJson(const QString& json)
{
    QString safe;
    safe.reserve(json.size());
    for (const QChar c : json) {
        const char16_t u = c.unicode();
        const bool bidi = (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069) || u == 0x200E || u == 0x200F;
        if (u == 0x7F || (u >= 0x80 && u < 0xA0) || bidi || (u < 0x20 && u != '\n'))
            safe += QStringLiteral("\\u%1").arg(unsigned(u), 4, 16, QLatin1Char('0'));
        else
            safe += c;
    }
    return safe;
}

Result<SecretBytes> readSecretFile(const QString& path, const QString& what)
{
    auto data = readFileBytes(path);
    if (!data)
        return data.error();
    QByteArray bytes = std::move(data).value();
    qsizetype length = bytes.size();
    if (length > 0 && bytes.at(length - 1) == '\n') {
        --length;
        if (length > 0 && bytes.at(length - 1) == '\r')
            --length;
    }
    SecretBytes secret(QByteArrayView(bytes.constData(), length));
    wipeBytes(bytes);
    if (secret.isEmpty())
        return Error{ErrorCode::Usage, QStringLiteral("the %1 file %2 is empty").arg(what, path)};
    return secret;
}

int exitCodeForError(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Io:
    case ErrorCode::Keychain:
    case ErrorCode::Network:
        return ExitIo;
    default:
        return ExitUsage;
    }
}

std::optional<qint64> parseInteger(const QString& text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok, 10);
    if (!ok)
        return std::nullopt;
    return value;
}

} // namespace jwti
